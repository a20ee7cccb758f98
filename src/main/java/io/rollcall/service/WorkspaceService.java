package io.rollcall.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.ResourceConflictException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rollcall.access.Principal;
import io.rollcall.resource.Ids;
import io.rollcall.store.PolicyRepository;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.OwnerRuleRepository;
import io.rollcall.store.FallbackRoleRepository;
import io.rollcall.store.UserRepository;
import io.rollcall.store.WorkspaceEntity;
import io.rollcall.store.WorkspaceRepository;
import io.smallrye.mutiny.Uni;

/**
 * Workspaces of the caller's organization: the scopes role bindings and policy statements narrow to. Names are unique
 * per organization in any case and never contain {@code @} (role references read {@code value@workspace}).
 * Deleting a workspace takes its bindings with it, unless that would leave an active user without any role (rule 1,
 * 409); an Organization Owner binding is never workspace-scoped, so the last-owner rule cannot break here.
 */
@ApplicationScoped
public class WorkspaceService {

    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_DESCRIPTION_LENGTH = 2000;

    private final WorkspaceRepository workspaces;
    private final RoleBindingRepository bindings;
    private final OwnerRuleRepository owners;
    private final FallbackRoleRepository fallbacks;
    private final UserRepository users;
    private final PolicyRepository policies;

    private final ChangeLog changeLog;

    public WorkspaceService(WorkspaceRepository workspaces, RoleBindingRepository bindings, OwnerRuleRepository owners, FallbackRoleRepository fallbacks, UserRepository users,
            PolicyRepository policies, ChangeLog changeLog) {
        this.changeLog = changeLog;
        this.workspaces = workspaces;
        this.bindings = bindings;
        this.owners = owners;
        this.fallbacks = fallbacks;
        this.users = users;
        this.policies = policies;
    }

    @WithSession
    public Uni<List<WorkspaceEntity>> list(Principal caller) {
        return CallerChecks.checked(caller, "workspaces:read", "list workspaces").chain(() -> workspaces.listOf(caller.orgId()));
    }

    @WithSession
    public Uni<WorkspaceEntity> get(Principal caller, UUID id) {
        return CallerChecks.checked(caller, "workspaces:read", "read workspaces").chain(() -> find(caller, id));
    }

    public Uni<WorkspaceEntity> create(Principal caller, String name, String description) {
        AuditedChange audited = AuditedChange.create(caller, "Workspace", "workspace")
                .attributes(description == null ? List.of("name") : List.of("name", "description"));
        return changeLog.run(audited, () -> Uni.createFrom().item(() -> {
            CallerChecks.require(caller, "workspaces:create", "create workspaces");
            return WorkspaceEntity.create(caller.orgId(), validName(name), validDescription(description));
        }).chain(workspace -> uniqueName(caller, workspace.name, null)
                .invoke(() -> audited.resource(workspace.id))
                .chain(() -> workspaces.persist(workspace))
                .chain(workspaces::flush)
                .replaceWith(workspace)))
                .onFailure().transform(failure -> duplicate(failure, name));
    }

    /**
     * Changes the name and/or description (null leaves one as it is). Needs {@code workspaces:manage} in that
     * workspace. A rename gives the users bound in it a new version: their {@code roles} read {@code value@name}.
     */
    public Uni<WorkspaceEntity> update(Principal caller, UUID id, String name, String description) {
        java.util.List<String> named = new java.util.ArrayList<>();
        if (name != null) {
            named.add("name");
        }
        if (description != null) {
            named.add("description");
        }
        AuditedChange audited = AuditedChange.of(caller, "Workspace", "workspace", "update", id).attributes(named);
        return changeLog.run(audited, () -> find(caller, id).chain(workspace -> {
            CallerChecks.requireIn(caller, "workspaces:manage", workspace.id, "change workspace '" + workspace.name + "'");
            String newName = name == null ? workspace.name : validName(name);
            String newDescription = description == null ? workspace.description : validDescription(description);
            boolean renamed = !newName.equals(workspace.name);
            return (renamed ? uniqueName(caller, newName, workspace.id) : Uni.createFrom().voidItem())
                    .chain(() -> {
                        workspace.name = newName;
                        workspace.description = newDescription;
                        return workspaces.flush();
                    })
                    .chain(() -> renamed ? users.touchBoundInWorkspace(caller.orgId(), workspace.id, now())
                            : Uni.createFrom().item(0))
                    .replaceWith(workspace);
        })).onFailure().transform(failure -> duplicate(failure, name));
    }

    /**
     * Deletes the workspace with its role bindings (foreign-key cascade) and takes it out of policy statements; refused
     * (409, nothing changed) if a user it reaches would be left without any role.
     */
    public Uni<Void> delete(Principal caller, UUID id) {
        AuditedChange audited = AuditedChange.delete(caller, "Workspace", "workspace", id);
        return changeLog.run(audited, () -> CallerChecks.checked(caller, "workspaces:delete", "delete workspaces").chain(() -> find(caller, id)).chain(workspace ->
                // users first, in id order, as a user write locks them; then the per-organization lock that admin
                // binding removals take, so that two removals cannot each leave the other's user its last role
                users.touchBoundInWorkspace(caller.orgId(), workspace.id, now())
                        .chain(() -> owners.lockOwners(caller.orgId()))
                        .chain(() -> bindings.usersReachedInWorkspace(caller.orgId(), workspace.id))
                        // their bindings in the workspace go with it: user.roles_changed for each
                        .invoke(reached -> reached.forEach(audited::userRolesChanged))
                        .chain(reached -> policies.forgetWorkspace(caller.orgId(), workspace.id, now())
                                .chain(() -> workspaces.delete(workspace))
                                .chain(workspaces::flush)
                                .chain(() -> fallbacks.usersWithoutRole(caller.orgId(), reached))
                                .invoke(orphans -> {
                                    if (!orphans.isEmpty()) {
                                        throw ScimFailure.of(new ResourceConflictException("Every active user keeps at "
                                                + "least one role; deleting workspace '" + workspace.name + "' would "
                                                + "leave " + String.join(", ", orphans) + " without any. Give "
                                                + (orphans.size() == 1 ? "that user" : "them")
                                                + " a role outside this workspace first"));
                                    }
                                })))
                .replaceWithVoid());
    }

    private Uni<WorkspaceEntity> find(Principal caller, UUID id) {
        return workspaces.find("orgId = ?1 and id = ?2", caller.orgId(), id).firstResult()
                .onItem().ifNull().failWith(() -> CallerChecks.notFound("No workspace " + id + " in this organization"));
    }

    private Uni<Void> uniqueName(Principal caller, String name, UUID except) {
        return workspaces.findByName(caller.orgId(), name, except).invoke(existing -> {
            if (existing != null) {
                throw conflict(name, existing.name);
            }
        }).replaceWithVoid();
    }

    private static ScimFailure conflict(String name, String existing) {
        return ScimFailure.of(ResourceConflictException.uniqueness("A workspace named '" + existing + "' already "
                + "exists in this organization; workspace names are unique in any case ('" + name + "')"));
    }

    /** A concurrent create or rename that won the unique index is a 409 too. */
    private static Throwable duplicate(Throwable failure, String name) {
        if (StoreFailures.duplicate(failure).filter(duplicate -> duplicate.isOf("name"))
                .isPresent()) {
            return conflict(name, name);
        }
        return failure;
    }

    static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw CallerChecks.invalid("'name' is required, e.g. {\"name\": \"Marketing EU\"}");
        }
        String trimmed = name.trim();
        if (trimmed.contains("@")) {
            throw CallerChecks.invalid("'name' (" + trimmed + ") contains '@'; workspace names cannot, because role "
                    + "references name a workspace after '@' (campaign-manager@Marketing)");
        }
        if (Ids.parse(trimmed).isPresent()) {
            throw CallerChecks.invalid("'name' (" + trimmed + ") has the form of an id; workspaces are named by id or "
                    + "name, so a name cannot look like an id");
        }
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

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
