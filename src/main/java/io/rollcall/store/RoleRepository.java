package io.rollcall.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

import io.rollcall.resource.Ids;

@ApplicationScoped
public class RoleRepository implements PanacheRepositoryBase<RoleEntity, UUID> {

    public Uni<RoleEntity> findByValue(UUID orgId, String value) {
        return find("orgId = ?1 and value = ?2", orgId, value).firstResult();
    }

    /** A role named the way people and identity providers name it: its value, its id, or its name (any case). */
    public Uni<RoleEntity> findByReference(UUID orgId, String reference) {
        Optional<UUID> id = Ids.parse(reference);
        if (id.isPresent()) {
            return find("orgId = ?1 and id = ?2", orgId, id.get()).firstResult();
        }
        return find("orgId = ?1 and (value = ?2 or lower(name) = lower(?2))", orgId, reference).firstResult();
    }

    public Uni<List<RoleEntity>> listHeldBy(UUID orgId, RoleBindingEntity.PrincipalKind kind, UUID principalId) {
        return find("select r from RoleEntity r where r.orgId = ?1 and r.id in "
                + "(select b.roleId from RoleBindingEntity b where b.orgId = ?1 and b.principalKind = ?2 "
                + "and b.principalId = ?3) order by r.name", orgId, kind.wire(), principalId).list();
    }

    /** The organization's customer-visible roles (not internal), by name. */
    public Uni<List<RoleEntity>> listVisible(UUID orgId) {
        return find("orgId = ?1 and internal = false order by lower(name), id", orgId).list();
    }
}
