package io.rollcall.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

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

    public Uni<List<WorkspaceEntity>> listOf(UUID orgId) {
        return find("orgId = ?1 order by lower(name), id", orgId).list();
    }
}
