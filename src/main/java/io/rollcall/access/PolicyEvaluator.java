package io.rollcall.access;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides whether a principal holds a permission on a target: of the grants whose binding scope covers the target and
 * whose statement matches the permission and resource, any deny wins, else any allow allows, else it is denied.
 * {@code scim:provision} is reached only through the managed SCIM Client role bound organization-wide (rule 5): whatever
 * the store holds, no other role and no workspace-scoped binding grants it.
 */
public final class PolicyEvaluator {

    /** The answer and the grants behind it (the denying ones if denied by a statement, the allowing ones if allowed). */
    public record Decision(boolean allowed, List<Grant> because) {
    }

    private PolicyEvaluator() {
    }

    /**
     * @param targetWorkspaceId a workspace id, or {@code null} to ask about the organization as a whole
     */
    public static Decision evaluate(Collection<Grant> grants, String permissionKey, String targetWorkspaceId) {
        Permission permission = PermissionCatalogue.find(permissionKey)
                .orElseThrow(() -> new IllegalArgumentException("Unknown permission " + permissionKey));
        List<Grant> matching = grants.stream()
                .filter(g -> g.covers(permission, targetWorkspaceId))
                .filter(g -> g.statement().matchesPermission(permissionKey))
                .filter(g -> g.statement().matchesResource(targetWorkspaceId))
                .filter(g -> !permissionKey.equals(PermissionCatalogue.SCIM_PROVISION) || g.isScimClientGrant())
                .toList();
        List<Grant> denies = matching.stream().filter(g -> g.statement().effect() == Statement.Effect.DENY).toList();
        if (!denies.isEmpty()) {
            return new Decision(false, denies);
        }
        return new Decision(!matching.isEmpty(), matching);
    }

    public static boolean allows(Collection<Grant> grants, String permissionKey) {
        return evaluate(grants, permissionKey, null).allowed();
    }

    /** Every catalogue permission the grants allow on the target ({@code null} = the organization). */
    public static Set<String> effectivePermissions(Collection<Grant> grants, String targetWorkspaceId) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Permission permission : PermissionCatalogue.all()) {
            if (evaluate(grants, permission.key(), targetWorkspaceId).allowed()) {
                allowed.add(permission.key());
            }
        }
        return allowed;
    }
}
