package io.rollcall.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

import io.rollcall.resource.Ids;

@ApplicationScoped
public class WorkspaceRepository implements PanacheRepositoryBase<WorkspaceEntity, UUID> {

    /** A workspace named by its id or its name (any case). */
    public Uni<WorkspaceEntity> findByReference(UUID orgId, String reference) {
        Optional<UUID> id = Ids.parse(reference);
        if (id.isPresent()) {
            return find("orgId = ?1 and id = ?2", orgId, id.get()).firstResult();
        }
        return find("orgId = ?1 and lower(name) = lower(?2)", orgId, reference).firstResult();
    }

    /** The workspace with that name in any case, other than {@code except} (null: any). */
    public Uni<WorkspaceEntity> findByName(UUID orgId, String name, UUID except) {
        return except == null ? find("orgId = ?1 and lower(name) = lower(?2)", orgId, name).firstResult()
                : find("orgId = ?1 and lower(name) = lower(?2) and id <> ?3", orgId, name, except).firstResult();
    }

    public Uni<List<WorkspaceEntity>> listOf(UUID orgId) {
        return find("orgId = ?1 order by lower(name), id", orgId).list();
    }
}
