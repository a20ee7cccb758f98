package io.rollcall.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One holder of a role, as the role's {@code members} show it.
 *
 * @param kind         {@code user}, {@code group} or {@code access_key}
 * @param display      the user's userName, the group's displayName or the access key's name
 * @param workspace    the workspace name the binding is narrowed to, or null
 * @param bindingId    the binding that makes it a holder (what {@code DELETE /admin/v1/users/{id}/roles/{bindingId}}
 *                     takes)
 * @param displayName  a user's displayName (null when its IdP sent none); the group's or key's name otherwise
 * @param lastModified when a user's SCIM record last changed ({@code meta.lastModified}); null for groups and keys
 * @param lastUsedAt   when an access key was last used; null for users and groups, which do not sign in to Rollcall
 * @param viaGroupId   for a user holding the role through a group: the group bound to the role (whose binding
 *                     {@code bindingId} is, so it is not the user's to lose alone); null for a binding of its own
 * @param viaGroup     that group's displayName
 */
public record RoleHolder(String kind, UUID id, String display, String workspace, String source, UUID bindingId,
        String displayName, Instant lastModified, Instant lastUsedAt, UUID viaGroupId, String viaGroup) {
}
