package io.rollcall.store;

import java.util.UUID;

/**
 * A role binding with what it takes to show and judge it: the role's value, name and kind, and the workspace's name.
 *
 * @param workspaceId  null for a binding over the whole organization
 * @param groupDisplay the group's displayName when the principal is a group, else null
 */
public record BindingRow(UUID id, String principalKind, UUID principalId, UUID roleId, String roleValue, String roleName,
        String roleType, boolean internal, UUID workspaceId, String workspaceName, String source, String groupDisplay) {

    public boolean isManagedRole() {
        return RoleEntity.MANAGED.equals(roleType);
    }

    /** The binding as a role reference: {@code value} or {@code value@workspace}. */
    public String reference() {
        return workspaceName == null ? roleValue : roleValue + "@" + workspaceName;
    }

    public boolean sameGrant(UUID otherRoleId, UUID otherWorkspaceId) {
        return roleId.equals(otherRoleId) && java.util.Objects.equals(workspaceId, otherWorkspaceId);
    }
}
