package io.rollcall.access;

import java.util.List;

/**
 * One statement of a policy: it allows or denies the permissions matching {@link #permissions()} on the workspaces
 * selected by {@link #resources()}.
 *
 * @param permissions permission keys or patterns: {@code campaigns:launch}, {@code campaigns:*}, {@code *}
 * @param resources   workspace selectors: {@code *} (everywhere, including organization-level permissions) or workspace ids
 */
public record Statement(Effect effect, List<String> permissions, List<String> resources) {

    public static final String ANY = "*";

    public enum Effect {
        ALLOW, DENY;

        public String wire() {
            return name().toLowerCase();
        }

        public static Effect fromWire(String value) {
            return valueOf(value.toUpperCase());
        }
    }

    public Statement {
        permissions = List.copyOf(permissions);
        resources = List.copyOf(resources);
    }

    public static Statement allow(List<String> permissions) {
        return new Statement(Effect.ALLOW, permissions, List.of(ANY));
    }

    public boolean matchesPermission(String key) {
        return permissions.stream().anyMatch(pattern -> matches(pattern, key));
    }

    /** Whether the statement reaches the target: a workspace id, or {@code null} for the organization itself. */
    public boolean matchesResource(String workspaceId) {
        return resources.contains(ANY) || (workspaceId != null && resources.contains(workspaceId));
    }

    static boolean matches(String pattern, String key) {
        if (pattern.equals(ANY) || pattern.equals(key)) {
            return true;
        }
        return pattern.endsWith(":*") && key.startsWith(pattern.substring(0, pattern.length() - 1));
    }
}
