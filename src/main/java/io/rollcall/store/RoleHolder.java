package io.rollcall.store;

import java.util.UUID;

/**
 * One holder of a role, as the role's {@code members} show it.
 *
 * @param kind      {@code user}, {@code group} or {@code access_key}
 * @param display   the user's userName, the group's displayName or the access key's name
 * @param workspace the workspace name the binding is narrowed to, or null
 */
public record RoleHolder(String kind, UUID id, String display, String workspace, String source) {
}
