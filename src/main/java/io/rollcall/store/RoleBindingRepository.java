package io.rollcall.store;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class RoleBindingRepository implements PanacheRepositoryBase<RoleBindingEntity, UUID> {

    public Uni<Long> deleteAllOf(UUID orgId, RoleBindingEntity.PrincipalKind kind, UUID principalId) {
        return delete("orgId = ?1 and principalKind = ?2 and principalId = ?3", orgId, kind.wire(), principalId);
    }
}
