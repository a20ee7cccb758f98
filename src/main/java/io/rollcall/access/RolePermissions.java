package io.rollcall.access;

import java.util.Collection;
import java.util.LinkedHashSet;
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
}
