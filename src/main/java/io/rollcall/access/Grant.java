package io.rollcall.access;

/**
 * One statement reaching a principal through one role binding: the unit {@link PolicyEvaluator} reasons over and the
 * explanation it gives.
 *
 * @param role        the bound role's value
 * @param workspaceId the binding's scope: a workspace id, or {@code null} for the whole organization
 * @param policy      the name of the policy the statement belongs to
 */
public record Grant(String role, String workspaceId, String policy, Statement statement) {

    /** Whether the binding's scope reaches {@code permission} on the target ({@code null} = the organization). */
    boolean covers(Permission permission, String targetWorkspaceId) {
        if (workspaceId == null) {
            return true;
        }
        // A workspace-scoped binding never grants organization-level permissions.
        return permission.level() == Permission.Level.WORKSPACE && workspaceId.equals(targetWorkspaceId);
    }

    /** Whether this comes from the managed SCIM Client role bound organization-wide: what alone opens /scim/v2. */
    boolean isScimClientGrant() {
        return role.equals(ManagedRoles.SCIM_CLIENT) && workspaceId == null;
    }
}
