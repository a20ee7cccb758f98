package io.rollcall.access;

import java.util.List;
import java.util.UUID;

/**
 * What an organization decides about its roles.
 *
 * @param fallbackRole        value of the role a user keeps when nothing else grants one (rule 1); assignable, never
 *                            internal
 * @param scimAssignableRoles ids of the roles its identity provider may bind over SCIM (rule 6b); {@code null} is the
 *                            default: every customer-visible role but Organization Owner and SCIM Client, custom roles
 *                            made later included
 */
public record OrganizationSettings(String fallbackRole, List<UUID> scimAssignableRoles) {

    public static final String DEFAULT_FALLBACK_ROLE = "knowledge-base-user";

    public OrganizationSettings {
        scimAssignableRoles = scimAssignableRoles == null ? null : List.copyOf(scimAssignableRoles);
    }

    public static OrganizationSettings defaults() {
        return new OrganizationSettings(DEFAULT_FALLBACK_ROLE, null);
    }

    /** Whether the identity provider may bind this (non-internal) role. */
    public boolean scimMayAssign(UUID roleId, String roleValue) {
        if (scimAssignableRoles == null) {
            return !roleValue.equals(ManagedRoles.ORGANIZATION_OWNER) && !roleValue.equals(ManagedRoles.SCIM_CLIENT);
        }
        return scimAssignableRoles.contains(roleId);
    }
}
