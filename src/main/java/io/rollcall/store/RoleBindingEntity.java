package io.rollcall.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.rollcall.resource.Ids;

/**
 * The one record of who holds which role where: a principal (user, group or access key), a role, a scope (the
 * organization when {@link #workspaceId} is null, else one workspace) and where the binding came from.
 */
@Entity
@Table(name = "role_bindings")
public class RoleBindingEntity {

    public enum PrincipalKind {
        USER, GROUP, ACCESS_KEY;

        public String wire() {
            return name().toLowerCase();
        }

        public static PrincipalKind fromWire(String wire) {
            return valueOf(wire.toUpperCase());
        }
    }

    public enum Source {
        SCIM, LOCAL, SYSTEM;

        public String wire() {
            return name().toLowerCase();
        }
    }

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    /** {@link PrincipalKind#wire()} form. */
    @Column(name = "principal_kind", nullable = false)
    public String principalKind;

    @Column(name = "principal_id", nullable = false)
    public UUID principalId;

    @Column(name = "role_id", nullable = false)
    public UUID roleId;

    @Column(name = "workspace_id")
    public UUID workspaceId;

    /** {@link Source#wire()} form. */
    @Column(nullable = false)
    public String source;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static RoleBindingEntity atOrganization(UUID orgId, PrincipalKind kind, UUID principalId, UUID roleId,
            Source source) {
        return of(orgId, kind, principalId, roleId, null, source);
    }

    /** @param workspaceId null for the whole organization */
    public static RoleBindingEntity of(UUID orgId, PrincipalKind kind, UUID principalId, UUID roleId, UUID workspaceId,
            Source source) {
        RoleBindingEntity binding = new RoleBindingEntity();
        binding.workspaceId = workspaceId;
        binding.id = Ids.timeOrdered();
        binding.orgId = orgId;
        binding.principalKind = kind.wire();
        binding.principalId = principalId;
        binding.roleId = roleId;
        binding.source = source.wire();
        binding.createdAt = Instant.now();
        return binding;
    }
}
