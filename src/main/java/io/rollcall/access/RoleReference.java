package io.rollcall.access;

import java.util.Optional;

/**
 * How people and identity providers name a role binding: a role (its value, id or name), optionally followed by
 * {@code @workspace} (a workspace id or name) for a binding scoped to that workspace.
 *
 * @param workspace null for the whole organization
 */
public record RoleReference(String role, String workspace) {

    public static Optional<RoleReference> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        int at = trimmed.lastIndexOf('@');
        if (at < 0) {
            return Optional.of(new RoleReference(trimmed, null));
        }
        String role = trimmed.substring(0, at).trim();
        String workspace = trimmed.substring(at + 1).trim();
        if (role.isEmpty() || workspace.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RoleReference(role, workspace));
    }

    @Override
    public String toString() {
        return workspace == null ? role : role + "@" + workspace;
    }
}
