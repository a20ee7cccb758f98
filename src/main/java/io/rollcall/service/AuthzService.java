package io.rollcall.service;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rollcall.access.Grant;
import io.rollcall.access.Permission;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.access.PolicyEvaluator;
import io.rollcall.access.Principal;
import io.rollcall.access.Statement;
import io.rollcall.store.AccessKeyRepository;
import io.rollcall.store.BindingGrant;
import io.rollcall.store.BindingRow;
import io.rollcall.store.GrantRepository;
import io.rollcall.store.GroupRepository;
import io.rollcall.resource.Ids;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.UserRepository;
import io.rollcall.store.WorkspaceEntity;
import io.rollcall.store.WorkspaceRepository;
import io.smallrye.mutiny.Uni;

/**
 * Answers "may this principal do that, there?" with the reasons: the principal's direct bindings plus, for a user or a
 * group, those of every group containing it (nested too; each binding names the group it comes through), expanded to
 * statements and judged by {@link PolicyEvaluator} (any deny
 * wins, else any allow, else deny; a workspace-scoped binding never grants an organization-level permission). Needs
 * {@code roles:read}.
 */
@ApplicationScoped
public class AuthzService {

    /** A binding reaching the principal, and whether its scope covers the target for the permission asked about. */
    public record ReachingBinding(BindingRow binding, boolean appliesHere) {
    }

    /** A statement behind the decision, with the binding it reaches the principal through. */
    public record Reason(UUID bindingId, Grant grant) {
    }

    public record Check(boolean allowed, PrincipalKind kind, UUID principalId, Permission permission,
            WorkspaceEntity workspace, List<ReachingBinding> bindings, List<Reason> statements, String reason) {
    }

    private final RoleBindingRepository bindings;
    private final GrantRepository grants;
    private final WorkspaceRepository workspaces;
    private final UserRepository users;
    private final GroupRepository groups;
    private final AccessKeyRepository keys;

    public AuthzService(RoleBindingRepository bindings, GrantRepository grants, WorkspaceRepository workspaces,
            UserRepository users, GroupRepository groups, AccessKeyRepository keys) {
        this.bindings = bindings;
        this.grants = grants;
        this.workspaces = workspaces;
        this.users = users;
        this.groups = groups;
        this.keys = keys;
    }

    /**
     * @param principal {@code user:<id>}, {@code group:<id>} or {@code access_key:<id>}
     * @param permission a catalogue key (not a pattern)
     * @param workspace  a workspace id or name, or null to ask about the organization as a whole
     */
    @WithSession
    public Uni<Check> check(Principal caller, String principal, String permission, String workspace) {
        return Uni.createFrom().item(() -> {
            CallerChecks.require(caller, "roles:read", "check permissions");
            return parsePermission(permission);
        }).chain(key -> {
            PrincipalKind kind = parseKind(principal);
            UUID id = parseId(principal, kind);
            return target(caller, workspace).chain(target -> exists(caller, kind, id)
                    .chain(() -> switch (kind) {
                        case USER -> bindings.reachingUser(caller.orgId(), id);
                        case GROUP -> bindings.reachingGroup(caller.orgId(), id);
                        case ACCESS_KEY -> bindings.ofPrincipal(caller.orgId(), kind, id);
                    })
                    .chain(reaching -> (switch (kind) {
                        case USER -> grants.bindingGrantsReachingUser(caller.orgId(), id);
                        case GROUP -> grants.bindingGrantsReachingGroup(caller.orgId(), id);
                        case ACCESS_KEY -> grants.bindingGrantsOf(caller.orgId(), kind, id);
                    }).map(reached -> judge(kind, id, key, target, reaching, reached))));
        });
    }

    private static Check judge(PrincipalKind kind, UUID id, Permission permission, WorkspaceEntity target,
            List<BindingRow> reaching, List<BindingGrant> reached) {
        String targetId = target == null ? null : target.id.toString();
        Map<Grant, UUID> bindingOf = new IdentityHashMap<>();
        List<Grant> all = new ArrayList<>();
        for (BindingGrant bindingGrant : reached) {
            bindingOf.put(bindingGrant.grant(), bindingGrant.bindingId());
            all.add(bindingGrant.grant());
        }
        PolicyEvaluator.Decision decision = PolicyEvaluator.evaluate(all, permission.key(), targetId);
        List<ReachingBinding> explained = reaching.stream()
                .map(b -> new ReachingBinding(b, covers(b.workspaceId(), permission, target))).toList();
        List<Reason> because = decision.because().stream().map(g -> new Reason(bindingOf.get(g), g)).toList();
        return new Check(decision.allowed(), kind, id, permission, target, explained, because,
                reason(decision, permission, target, reaching, all));
    }

    /** The same scope rule as the evaluator's: org-wide bindings cover everything, workspace ones their workspace. */
    private static boolean covers(UUID bindingWorkspace, Permission permission, WorkspaceEntity target) {
        if (bindingWorkspace == null) {
            return true;
        }
        return permission.level() == Permission.Level.WORKSPACE && target != null && bindingWorkspace.equals(target.id);
    }

    private static String reason(PolicyEvaluator.Decision decision, Permission permission, WorkspaceEntity target,
            List<BindingRow> reaching, List<Grant> all) {
        String where = target == null ? "on the organization" : "in workspace '" + target.name + "'";
        if (decision.allowed()) {
            return "Allowed: " + describe(decision.because()) + " allow" + (decision.because().size() == 1 ? "s " : " ")
                    + permission.key() + " " + where + ", and no statement denies it";
        }
        if (!decision.because().isEmpty()) {
            return "Denied: " + describe(decision.because()) + " den" + (decision.because().size() == 1 ? "ies " : "y ")
                    + permission.key() + " " + where + "; a deny wins over any allow";
        }
        if (reaching.isEmpty()) {
            return "Denied: the principal holds no role (no direct binding, none through groups)";
        }
        String targetId = target == null ? null : target.id.toString();
        List<Grant> outOfScope = all.stream()
                .filter(g -> g.statement().effect() == Statement.Effect.ALLOW)
                .filter(g -> g.statement().matchesPermission(permission.key()))
                .filter(g -> g.statement().matchesResource(targetId))
                .filter(g -> g.workspaceId() != null)
                .toList();
        if (!outOfScope.isEmpty() && permission.level() == Permission.Level.ORG) {
            return "Denied: " + permission.key() + " is an organization-level permission and the role"
                    + (roles(outOfScope).size() == 1 ? " " : "s ") + String.join(", ", roles(outOfScope))
                    + " that would allow it " + (roles(outOfScope).size() == 1 ? "is" : "are")
                    + " bound in a workspace only; a workspace-scoped binding never grants an organization-level "
                    + "permission";
        }
        if (!outOfScope.isEmpty()) {
            return "Denied: the role" + (roles(outOfScope).size() == 1 ? " " : "s ") + String.join(", ", roles(outOfScope))
                    + " that would allow " + permission.key() + " " + (roles(outOfScope).size() == 1 ? "is" : "are")
                    + " bound in another workspace";
        }
        return "Denied: no statement of the principal's " + reaching.size() + " role binding"
                + (reaching.size() == 1 ? "" : "s") + " allows " + permission.key() + " " + where;
    }

    private static String describe(List<Grant> grants) {
        List<String> parts = new ArrayList<>();
        for (Grant grant : grants) {
            String part = "policy '" + grant.policy() + "' of role '" + grant.role() + "'";
            if (!parts.contains(part)) {
                parts.add(part);
            }
        }
        return String.join(", ", parts);
    }

    private static List<String> roles(List<Grant> grants) {
        Set<String> roles = new LinkedHashSet<>();
        grants.forEach(g -> roles.add("'" + g.role() + "'"));
        return List.copyOf(roles);
    }

    private static Permission parsePermission(String permission) {
        if (permission == null || permission.isBlank()) {
            throw CallerChecks.invalid("'permission' is required: a catalogue key such as campaigns:launch "
                    + "(GET /admin/v1/permissions lists them)");
        }
        return PermissionCatalogue.find(permission.trim()).orElseThrow(() -> CallerChecks.invalid("'permission' ("
                + permission + ") is not a permission of the catalogue; give one key such as campaigns:launch, not a "
                + "pattern (GET /admin/v1/permissions lists them)"));
    }

    private static PrincipalKind parseKind(String principal) {
        int colon = principal == null ? -1 : principal.indexOf(':');
        String kind = colon < 0 ? null : principal.substring(0, colon).trim();
        if (kind != null) {
            for (PrincipalKind candidate : PrincipalKind.values()) {
                if (candidate.wire().equals(kind)) {
                    return candidate;
                }
            }
        }
        throw CallerChecks.invalid("'principal' is " + (principal == null ? "missing" : "'" + principal + "'")
                + "; give <kind>:<id> with kind user, group or access_key, e.g. user:2819c223-7f76-453a-919d-413861904646");
    }

    private static UUID parseId(String principal, PrincipalKind kind) {
        String id = principal.substring(principal.indexOf(':') + 1).trim();
        return Ids.parse(id).orElseThrow(() -> notFound(kind, id));
    }

    private Uni<WorkspaceEntity> target(Principal caller, String workspace) {
        if (workspace == null || workspace.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        return workspaces.findByReference(caller.orgId(), workspace.trim()).invoke(found -> {
            if (found == null) {
                throw CallerChecks.invalid("'" + workspace + "' in 'workspace' is not a workspace of this organization; "
                        + "name it by id or name, or leave it out to ask about the organization");
            }
        });
    }

    private Uni<Void> exists(Principal caller, PrincipalKind kind, UUID id) {
        Uni<Boolean> found = switch (kind) {
            case USER -> users.count("orgId = ?1 and id = ?2", caller.orgId(), id).map(n -> n > 0);
            case GROUP -> groups.count("orgId = ?1 and id = ?2", caller.orgId(), id).map(n -> n > 0);
            case ACCESS_KEY -> keys.findActive(caller.orgId(), id).map(Objects::nonNull);
        };
        return found.invoke(yes -> {
            if (!yes) {
                throw notFound(kind, id.toString());
            }
        }).replaceWithVoid();
    }

    private static ScimFailure notFound(PrincipalKind kind, String id) {
        return CallerChecks.notFound("No " + kind.wire() + " " + id + " in this organization");
    }
}
