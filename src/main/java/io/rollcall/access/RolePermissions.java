package io.rollcall.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What a role's statements can grant, wherever they apply: the basis of the no-escalation rule and the role counts. */
public final class RolePermissions {

    private RolePermissions() {
    }

    /**
     * Every catalogue permission an allow statement of the grants names, on any workspace, less those a deny statement
     * over every workspace takes away.
     */
    public static Set<String> grantable(Collection<Grant> grants) {
        Set<String> keys = new LinkedHashSet<>();
        for (Permission permission : PermissionCatalogue.all()) {
            boolean allowed = grants.stream().anyMatch(g -> g.statement().effect() == Statement.Effect.ALLOW
                    && g.statement().matchesPermission(permission.key()));
            boolean deniedEverywhere = grants.stream().anyMatch(g -> g.statement().effect() == Statement.Effect.DENY
                    && g.statement().resources().contains(Statement.ANY) && g.statement().matchesPermission(permission.key()));
            if (allowed && !deniedEverywhere) {
                keys.add(permission.key());
            }
        }
        return keys;
    }

    /** The distinct workspace selectors of the allow statements ({@code *} counts as one): a role's scopes. */
    public static Set<String> scopes(Collection<Grant> grants) {
        Set<String> scopes = new LinkedHashSet<>();
        grants.stream().filter(g -> g.statement().effect() == Statement.Effect.ALLOW)
                .forEach(g -> scopes.addAll(g.statement().resources()));
        return scopes;
    }

    /**
     * What {@code granted} allows that {@code held} does not, at the scope where it allows it (rule 6): a permission's
     * key when the holder lacks it on the organization, {@code key@workspaceId} when the holder lacks it only in that
     * workspace. Empty when the grants are within what is held.
     * <p>
     * Checking the organization and each workspace either side names (in a binding or a statement) is exhaustive: on
     * any other workspace both sides answer as they do for the organization, as only their {@code *} statements and
     * organization-wide bindings reach it.
     */
    public static List<String> notHeld(Collection<Grant> held, Collection<Grant> granted) {
        Set<String> workspaces = new LinkedHashSet<>();
        for (Collection<Grant> side : List.of(held, granted)) {
            for (Grant grant : side) {
                if (grant.workspaceId() != null) {
                    workspaces.add(grant.workspaceId());
                }
                grant.statement().resources().stream().filter(r -> !r.equals(Statement.ANY)).forEach(workspaces::add);
            }
        }
        List<String> missing = new ArrayList<>();
        for (Permission permission : PermissionCatalogue.all()) {
            String key = permission.key();
            if (lacks(held, granted, key, null)) {
                missing.add(key);
                continue;
            }
            for (String workspace : workspaces) {
                if (lacks(held, granted, key, workspace)) {
                    missing.add(key + "@" + workspace);
                }
            }
        }
        return missing;
    }

    private static boolean lacks(Collection<Grant> held, Collection<Grant> granted, String key, String workspace) {
        return PolicyEvaluator.evaluate(granted, key, workspace).allowed()
                && !PolicyEvaluator.evaluate(held, key, workspace).allowed();
    }

    /**
     * What the grants' deny statements take away, where: a permission's key for a deny over every workspace (and the
     * organization), {@code key@workspaceId} for a deny over listed workspaces or through a workspace-scoped binding.
     * Since any deny wins over every allow a principal holds, taking one away grants what it denied.
     */
    public static Set<String> denied(Collection<Grant> grants) {
        Set<String> denied = new LinkedHashSet<>();
        for (Grant grant : grants) {
            Statement statement = grant.statement();
            if (statement.effect() != Statement.Effect.DENY) {
                continue;
            }
            for (Permission permission : PermissionCatalogue.all()) {
                if (!statement.matchesPermission(permission.key())) {
                    continue;
                }
                if (grant.workspaceId() != null) {
                    if (grant.covers(permission, grant.workspaceId()) && statement.matchesResource(grant.workspaceId())) {
                        denied.add(permission.key() + "@" + grant.workspaceId());
                    }
                } else if (statement.resources().contains(Statement.ANY)) {
                    denied.add(permission.key());
                } else {
                    statement.resources().forEach(workspace -> denied.add(permission.key() + "@" + workspace));
                }
            }
        }
        return denied;
    }

    /** What {@code before} denied that {@code after} no longer does (see {@link #denied}). */
    public static List<String> lifted(Collection<Grant> before, Collection<Grant> after) {
        Set<String> still = denied(after);
        List<String> lifted = new ArrayList<>();
        for (String entry : denied(before)) {
            String key = entry.contains("@") ? entry.substring(0, entry.indexOf('@')) : entry;
            if (!still.contains(entry) && !still.contains(key)) {
                lifted.add(entry);
            }
        }
        return lifted;
    }
}
