package io.rollcall.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rollcall.access.Grant;
import io.rollcall.access.Permission;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.access.Principal;
import io.rollcall.access.Statement;
import io.rollcall.store.GrantRepository;
import io.rollcall.resource.Ids;
import io.rollcall.store.PolicyRepository;
import io.rollcall.store.PolicyRow;
import io.rollcall.store.WorkspaceRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Policies: the managed ones (immutable, shared by every organization) and the organization's custom ones, made of
 * allow/deny statements over catalogue permissions or patterns ({@code campaigns:*}, {@code *}) on workspaces
 * ({@code *}, or workspaces named by id or name and stored by id). Reading needs {@code roles:read}, writing
 * {@code roles:manage}. Refused with 400: unknown permissions and workspaces, any statement allowing
 * {@code scim:provision} (rule 5: only the managed SCIM Client role grants it), and any write to a managed policy
 * ({@code mutability}, rule 2). A caller other than Organization Owner may only write a policy whose allowed
 * permissions it holds itself (rule 6: editing a policy grants to every holder of the roles using it; 403).
 */
@ApplicationScoped
public class PolicyService {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_DESCRIPTION_LENGTH = 2000;
    static final int MAX_STATEMENTS = 100;
    static final int MAX_ENTRIES = 200;

    /** A statement as the client sent it; {@code resources} null means every workspace. */
    public record StatementDraft(String effect, List<String> permissions, List<String> resources) {
    }

    /** A custom policy as the client sent it. */
    public record PolicyDraft(String name, String description, List<StatementDraft> statements) {
    }

    private final PolicyRepository policies;
    private final WorkspaceRepository workspaces;
    private final GrantRepository grants;

    private final ChangeLog changeLog;

    public PolicyService(PolicyRepository policies, WorkspaceRepository workspaces, GrantRepository grants, ChangeLog changeLog) {
        this.changeLog = changeLog;
        this.policies = policies;
        this.workspaces = workspaces;
        this.grants = grants;
    }

    @WithSession
    public Uni<List<PolicyRow>> list(Principal caller) {
        return CallerChecks.checked(caller, "roles:read", "list policies").chain(() -> policies.list(caller.orgId()));
    }

    @WithSession
    public Uni<PolicyRow> get(Principal caller, UUID id) {
        return CallerChecks.checked(caller, "roles:read", "read policies").chain(() -> find(caller, id));
    }

    public Uni<PolicyRow> create(Principal caller, PolicyDraft draft) {
        UUID id = Ids.timeOrdered();
        AuditedChange audited = AuditedChange.create(caller, "Policy", "policy").resource(id)
                .attributes(List.of("name", "description", "statements"));
        return changeLog.run(audited, () -> CallerChecks.checked(caller, "roles:manage", "create policies").chain(() -> validated(caller, draft, null))
                .chain(policy -> policies.insert(caller.orgId(), id, policy.name(), policy.description(),
                        policy.statements(), now()))
                .chain(() -> find(caller, id)))
                .onFailure().transform(failure -> duplicate(failure, draft));
    }

    /**
     * Replaces a custom policy's name, description and statements; its version goes up. The roles using it change with
     * it, so the caller must hold what each of them grants afterwards (rule 6; 403, nothing changed).
     */
    public Uni<PolicyRow> replace(Principal caller, UUID id, PolicyDraft draft) {
        AuditedChange audited = AuditedChange.of(caller, "Policy", "policy", "replace", id)
                .attributes(List.of("name", "description", "statements"));
        return changeLog.run(audited, () -> CallerChecks.checked(caller, "roles:manage", "change policies").chain(() -> customLocked(caller, id, "changed"))
                .chain(() -> policies.lockRolesUsing(caller.orgId(), id))
                .chain(using -> find(caller, id).chain(before -> validated(caller, draft, id)
                        .invoke(policy -> Escalation.requireMayLift(caller, asGrants(before.statements()),
                                asGrants(policy.statements()), "Changing policy '" + before.name() + "'"))
                        .chain(policy -> policies.replace(caller.orgId(), id, policy.name(), policy.description(),
                                policy.statements(), now())))
                        .chain(() -> checkRolesUsing(caller, using, "Changing policy '" + draft.name().trim()
                                + "', used by")))
                .chain(() -> find(caller, id)))
                .onFailure().transform(failure -> duplicate(failure, draft));
    }

    /**
     * Deletes a custom policy after detaching it from the roles using it; as that can widen them (a deny statement
     * goes), the caller must hold what each grants afterwards.
     */
    public Uni<Void> delete(Principal caller, UUID id) {
        return changeLog.run(AuditedChange.delete(caller, "Policy", "policy", id), () -> CallerChecks.checked(caller, "roles:manage", "delete policies").chain(() -> customLocked(caller, id, "deleted"))
                .chain(() -> find(caller, id))
                .invoke(policy -> Escalation.requireMayLift(caller, asGrants(policy.statements()), List.of(),
                        "Deleting policy '" + policy.name() + "'"))
                .chain(policy -> policies.lockRolesUsing(caller.orgId(), id)
                        .chain(using -> policies.delete(caller.orgId(), id, now())
                                .chain(() -> checkRolesUsing(caller, using, "Deleting policy '" + policy.name()
                                        + "', used by")))));
    }

    private Uni<Void> checkRolesUsing(Principal caller, List<PolicyRow.RoleRef> roles, String action) {
        return Multi.createFrom().iterable(roles)
                .onItem().transformToUniAndConcatenate(role -> grants.grantsOfRole(caller.orgId(), role.id())
                        .invoke(granted -> Escalation.requireDefinable(caller, role.name(), granted, action)))
                .collect().last().replaceWithVoid();
    }

    private Uni<PolicyRow> find(Principal caller, UUID id) {
        return policies.find(caller.orgId(), id)
                .onItem().ifNull().failWith(() -> CallerChecks.notFound("No policy " + id + " in this organization"));
    }

    /** The policy exists, is custom (managed → 400 mutability) and stays locked until the transaction ends. */
    private Uni<Void> customLocked(Principal caller, UUID id, String change) {
        return find(caller, id).chain(policy -> {
            if (policy.isManaged()) {
                throw ScimFailure.of(BadRequestException.mutability("'" + policy.name() + "' is a managed policy: "
                        + "the platform owns it and it cannot be " + change + ". Create a custom policy instead "
                        + "(POST /admin/v1/policies)"));
            }
            return policies.lockCustom(caller.orgId(), id).invoke(found -> {
                if (!found) {
                    throw CallerChecks.notFound("No policy " + id + " in this organization");
                }
            }).replaceWithVoid();
        });
    }

    /** What will be stored: trimmed name, statements with permissions checked and workspaces resolved to ids. */
    private record ValidPolicy(String name, String description, List<Statement> statements) {
    }

    private Uni<ValidPolicy> validated(Principal caller, PolicyDraft draft, UUID except) {
        if (draft == null) {
            return Uni.createFrom().failure(CallerChecks.invalid("Send a policy such as {\"name\": \"Campaign launch\", "
                    + "\"statements\": [{\"effect\": \"allow\", \"permissions\": [\"campaigns:*\"], \"resources\": [\"*\"]}]}"));
        }
        String name = validName(draft.name());
        String description = validDescription(draft.description());
        List<StatementDraft> statements = validShape(draft.statements());
        return resolveWorkspaces(caller, statements).chain(workspaceIds -> {
            List<Statement> resolved = new ArrayList<>();
            for (StatementDraft statement : statements) {
                resolved.add(new Statement(Statement.Effect.fromWire(statement.effect().trim()),
                        distinct(statement.permissions()), resources(statement.resources(), workspaceIds)));
            }
            checkNoScimProvision(resolved);
            checkNoEscalation(caller, resolved);
            return policies.nameTaken(caller.orgId(), name, except).map(taken -> {
                if (taken) {
                    throw conflict(name);
                }
                return new ValidPolicy(name, description, resolved);
            });
        });
    }

    /** Checks everything that needs no store: effects, counts, permission keys and patterns (all unknown ones named). */
    private static List<StatementDraft> validShape(List<StatementDraft> statements) {
        if (statements == null || statements.isEmpty()) {
            throw CallerChecks.invalid("'statements' is empty; a policy needs at least one, e.g. {\"effect\": \"allow\", "
                    + "\"permissions\": [\"campaigns:read\"], \"resources\": [\"*\"]}");
        }
        if (statements.size() > MAX_STATEMENTS) {
            throw CallerChecks.invalid("'statements' has " + statements.size() + " entries; at most " + MAX_STATEMENTS
                    + " are allowed");
        }
        Set<String> unknown = new LinkedHashSet<>();
        for (int i = 0; i < statements.size(); i++) {
            StatementDraft statement = statements.get(i);
            String at = "statements[" + i + "]";
            if (statement == null) {
                throw CallerChecks.invalid("'" + at + "' is null; give an object with effect, permissions, resources");
            }
            String effect = statement.effect() == null ? null : statement.effect().trim().toLowerCase(Locale.ROOT);
            if (!"allow".equals(effect) && !"deny".equals(effect)) {
                throw CallerChecks.invalid("'" + at + ".effect' is " + (statement.effect() == null ? "missing"
                        : "'" + statement.effect() + "'") + "; it must be \"allow\" or \"deny\"");
            }
            if (statement.permissions() == null || statement.permissions().isEmpty()) {
                throw CallerChecks.invalid("'" + at + ".permissions' is empty; name catalogue permissions "
                        + "(campaigns:launch) or patterns (campaigns:*, *)");
            }
            if (statement.permissions().size() > MAX_ENTRIES) {
                throw CallerChecks.invalid("'" + at + ".permissions' has " + statement.permissions().size()
                        + " entries; at most " + MAX_ENTRIES + " are allowed");
            }
            for (String permission : statement.permissions()) {
                if (permission == null || !knownPattern(permission.trim())) {
                    unknown.add(String.valueOf(permission));
                }
            }
            if (statement.resources() != null && statement.resources().isEmpty()) {
                throw CallerChecks.invalid("'" + at + ".resources' is empty; give [\"*\"] for every workspace, or "
                        + "workspace ids or names (or leave it out for every workspace)");
            }
            if (statement.resources() != null && statement.resources().size() > MAX_ENTRIES) {
                throw CallerChecks.invalid("'" + at + ".resources' has " + statement.resources().size()
                        + " entries; at most " + MAX_ENTRIES + " are allowed");
            }
        }
        if (!unknown.isEmpty()) {
            throw CallerChecks.invalid("Unknown permission" + (unknown.size() == 1 ? "" : "s") + " "
                    + String.join(", ", unknown) + ": name catalogue keys (campaigns:launch), a resource's keys "
                    + "(campaigns:*) or every key (*); GET /admin/v1/permissions lists them");
        }
        return statements.stream().map(s -> new StatementDraft(s.effect().trim().toLowerCase(Locale.ROOT),
                s.permissions().stream().map(String::trim).toList(), s.resources())).toList();
    }

    /** Every workspace reference of the statements (not {@code *}) → its id; unknown ones → 400 naming them all. */
    private Uni<Map<String, String>> resolveWorkspaces(Principal caller, List<StatementDraft> statements) {
        Set<String> references = new LinkedHashSet<>();
        for (StatementDraft statement : statements) {
            if (statement.resources() != null) {
                for (String resource : statement.resources()) {
                    if (resource == null || resource.isBlank()) {
                        throw CallerChecks.invalid("A workspace in 'resources' is blank; give \"*\", a workspace id or "
                                + "a workspace name");
                    }
                    if (!resource.trim().equals(Statement.ANY)) {
                        references.add(resource.trim());
                    }
                }
            }
        }
        Map<String, String> ids = new LinkedHashMap<>();
        Set<String> unknown = new LinkedHashSet<>();
        return Multi.createFrom().iterable(references)
                .onItem().transformToUniAndConcatenate(reference -> workspaces.findByReference(caller.orgId(), reference)
                        .invoke(workspace -> {
                            if (workspace == null) {
                                unknown.add(reference);
                            } else {
                                ids.put(reference, workspace.id.toString());
                            }
                        }))
                .collect().last()
                .map(ignored -> {
                    if (!unknown.isEmpty()) {
                        throw CallerChecks.invalid("Unknown workspace" + (unknown.size() == 1 ? "" : "s") + " in "
                                + "'resources': " + String.join(", ", unknown) + "; name workspaces of this "
                                + "organization by id or name, or give \"*\" (GET /admin/v1/workspaces lists them)");
                    }
                    return ids;
                });
    }

    /** Rule 5: {@code scim:provision} opens /scim/v2 and only the managed SCIM Client role (access keys) grants it. */
    private static void checkNoScimProvision(List<Statement> statements) {
        for (Statement statement : statements) {
            if (statement.effect() == Statement.Effect.ALLOW
                    && statement.matchesPermission(PermissionCatalogue.SCIM_PROVISION)) {
                List<String> culprits = statement.permissions().stream()
                        .filter(p -> new Statement(Statement.Effect.ALLOW, List.of(p), List.of(Statement.ANY))
                                .matchesPermission(PermissionCatalogue.SCIM_PROVISION))
                        .toList();
                throw CallerChecks.invalid("A custom policy may not allow " + PermissionCatalogue.SCIM_PROVISION + ", "
                        + "which " + String.join(", ", culprits) + " would: provisioning over /scim/v2 is granted only "
                        + "by the managed SCIM Client role, to access keys. Name the permissions you need instead of "
                        + "'*' or 'scim:*'");
            }
        }
    }

    /** Rule 6 for policies: what the statements allow must be within what the caller holds, where they allow it. */
    private static void checkNoEscalation(Principal caller, List<Statement> statements) {
        Escalation.requireHeld(caller, asGrants(statements), "This policy");
    }

    /** The statements as they reach a holder of a role bound organization-wide. */
    private static List<Grant> asGrants(List<Statement> statements) {
        return statements.stream().map(s -> new Grant("", null, "", s)).toList();
    }

    private static boolean knownPattern(String pattern) {
        if (pattern.equals(Statement.ANY) || PermissionCatalogue.find(pattern).isPresent()) {
            return true;
        }
        if (!pattern.endsWith(":*")) {
            return false;
        }
        String resource = pattern.substring(0, pattern.length() - 2);
        return PermissionCatalogue.all().stream().map(Permission::resource).anyMatch(resource::equals);
    }

    private static List<String> resources(List<String> resources, Map<String, String> workspaceIds) {
        if (resources == null || resources.stream().anyMatch(r -> r.trim().equals(Statement.ANY))) {
            return List.of(Statement.ANY);
        }
        return distinct(resources.stream().map(r -> workspaceIds.get(r.trim())).toList());
    }

    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }

    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw CallerChecks.invalid("'name' is required, e.g. {\"name\": \"Campaign launch\"}");
        }
        String trimmed = name.trim();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw CallerChecks.invalid("'name' has " + trimmed.length() + " characters; at most " + MAX_NAME_LENGTH
                    + " are allowed");
        }
        return trimmed;
    }

    private static String validDescription(String description) {
        if (description == null) {
            return "";
        }
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            throw CallerChecks.invalid("'description' has " + description.length() + " characters; at most "
                    + MAX_DESCRIPTION_LENGTH + " are allowed");
        }
        return description;
    }

    private static ScimFailure conflict(String name) {
        return ScimFailure.of(ResourceConflictException.uniqueness("A policy named '" + name + "' already exists "
                + "(managed or in this organization); policy names are unique in any case"));
    }

    private static Throwable duplicate(Throwable failure, PolicyDraft draft) {
        if (draft != null && StoreFailures.duplicate(failure).isPresent()) {
            return conflict(draft.name() == null ? "" : draft.name().trim());
        }
        return failure;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
