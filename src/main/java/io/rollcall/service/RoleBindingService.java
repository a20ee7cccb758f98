package io.rollcall.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rollcall.access.Principal;
import io.rollcall.service.RoleAssignments.Channel;
import io.rollcall.service.RoleAssignments.Target;
import io.rollcall.store.BindingRow;
import io.rollcall.store.GroupRepository;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.OwnerRuleRepository;
import io.rollcall.store.RoleRepository;
import io.rollcall.store.UserEntity;
import io.rollcall.store.UserRepository;
import io.rollcall.store.WorkspaceRepository;
import io.smallrye.mutiny.Uni;

/**
 * The direct role bindings of a user or a group, changed by an administrator ({@link Channel#ADMIN}: source
 * {@code local}) under {@link RoleAssignments}' rules: 409 when an active user would be left without a role (rule 1) or
 * the organization without an active owner (rule 3); 400 for internal roles (rule 4) and SCIM Client or Organization
 * Owner outside their scope (rule 5); 403 when the caller lacks a permission the role grants (rule 6). Reading needs
 * {@code roles:read}, changing {@code roles:assign}.
 *
 * <p>Changes take the principal's row and the per-organization lock the owner rule uses in the order a SCIM write to
 * it would ({@link #lockWithOwners}; for a group, its members' rows before both): admin binding changes apply one after
 * another, so two removals cannot each leave the other's user its last role, and none waits in a cycle with a SCIM write.
 */
@ApplicationScoped
public class RoleBindingService {

    /** A binding after a change, and whether the change created it (else it was there already). */
    public record Bound(BindingRow binding, boolean created) {
    }

    private final RoleAssignments assignments;
    private final RoleBindingRepository bindings;
    private final OwnerRuleRepository owners;
    private final RoleRepository roles;
    private final WorkspaceRepository workspaces;
    private final UserRepository users;
    private final GroupRepository groups;

    private final ChangeLog changeLog;

    public RoleBindingService(RoleAssignments assignments, RoleBindingRepository bindings, OwnerRuleRepository owners, RoleRepository roles,
            WorkspaceRepository workspaces, UserRepository users, GroupRepository groups, ChangeLog changeLog) {
        this.changeLog = changeLog;
        this.assignments = assignments;
        this.bindings = bindings;
        this.owners = owners;
        this.roles = roles;
        this.workspaces = workspaces;
        this.users = users;
        this.groups = groups;
    }

    @WithSession
    public Uni<List<BindingRow>> list(Principal caller, PrincipalKind kind, UUID principalId) {
        return CallerChecks.checked(caller, "roles:read", "read role bindings").chain(() -> exists(caller, kind, principalId))
                .chain(() -> bindings.ofPrincipal(caller.orgId(), kind, principalId));
    }

    /**
     * Binds the role (value, id or name) to the principal, over the organization or in one workspace (id or name). A
     * binding already there is kept (a {@code system} fallback binding becomes {@code local}).
     */
    public Uni<Bound> bind(Principal caller, PrincipalKind kind, UUID principalId, String role, String workspace) {
        AuditedChange audited = AuditedChange.of(caller, resourceType(kind), "role_binding", "add", principalId)
                .status(201).attribute("roles");
        return changeLog.run(audited, () -> Uni.createFrom().item(() -> {
            CallerChecks.require(caller, "roles:assign", "assign roles");
            return reference(role, workspace);
        }).chain(reference -> lockWithOwners(caller, kind, principalId)
                .chain(user -> assignments.resolve(caller.orgId(), List.of(reference), "role")
                        .chain(targets -> {
                            Target target = targets.get(0);
                            return bindings.ofPrincipal(caller.orgId(), kind, principalId).chain(before -> {
                                boolean existed = before.stream().anyMatch(b -> b.sameGrant(target.role().id,
                                        target.workspaceId()));
                                return assignments.bind(caller, Channel.ADMIN, kind, principalId, target)
                                        .invoke(changed -> touch(user, changed))
                                        .chain(() -> bindings.ofPrincipal(caller.orgId(), kind, principalId))
                                        .map(after -> new Bound(after.stream()
                                                .filter(b -> b.sameGrant(target.role().id, target.workspaceId()))
                                                .findFirst().orElseThrow(), !existed));
                            });
                        }))));
    }

    /** Removes one binding of the principal, whatever its source. */
    public Uni<Void> unbind(Principal caller, PrincipalKind kind, UUID principalId, UUID bindingId) {
        AuditedChange audited = AuditedChange.of(caller, resourceType(kind), "role_binding", "remove", principalId)
                .status(204).attribute("roles");
        return changeLog.run(audited, () -> CallerChecks.checked(caller, "roles:assign", "remove role bindings").chain(() -> lockMembersOf(caller, kind, principalId))
                .chain(() -> lockWithOwners(caller, kind, principalId))
                .chain(user -> bindings.ofPrincipal(caller.orgId(), kind, principalId)
                        .chain(current -> {
                            BindingRow binding = current.stream().filter(b -> b.id().equals(bindingId)).findFirst()
                                    .orElseThrow(() -> CallerChecks.notFound("No role binding " + bindingId + " on "
                                            + kind.wire() + " " + principalId));
                            return target(caller, binding);
                        })
                        .chain(target -> assignments.unbind(caller, Channel.ADMIN, kind, principalId, target))
                        .invoke(changed -> touch(user, changed))
                        .replaceWithVoid()));
    }

    /** The audit log's resource type of a principal. */
    private static String resourceType(PrincipalKind kind) {
        return switch (kind) {
            case USER -> "User";
            case GROUP -> "Group";
            case ACCESS_KEY -> "AccessKey";
        };
    }

    /** The principal exists in the caller's organization (else 404). */
    private Uni<Void> exists(Principal caller, PrincipalKind kind, UUID principalId) {
        Uni<Long> count = kind == PrincipalKind.USER
                ? users.count("orgId = ?1 and id = ?2", caller.orgId(), principalId)
                : groups.count("orgId = ?1 and id = ?2", caller.orgId(), principalId);
        return count.invoke(found -> {
            if (found == 0) {
                throw notFound(kind, principalId);
            }
        }).replaceWithVoid();
    }

    /**
     * Before a group's binding goes: its members' rows, in id order, as a write to their own roles locks them, so that
     * the two apply one after the other and neither leaves a member without any role (rule 1).
     */
    private Uni<Void> lockMembersOf(Principal caller, PrincipalKind kind, UUID principalId) {
        if (kind != PrincipalKind.GROUP) {
            return Uni.createFrom().voidItem();
        }
        return bindings.lockUsersUnderGroup(caller.orgId(), principalId).replaceWithVoid();
    }

    /**
     * The principal's row and the owner lock, in the order the SCIM writes take them: a user's row before the owner
     * lock (as a user write's role change), the owner lock before a group's row (as a group write that may take
     * Organization Owner from its members), so that neither pair can wait on the other.
     */
    private Uni<UserEntity> lockWithOwners(Principal caller, PrincipalKind kind, UUID principalId) {
        return kind == PrincipalKind.GROUP
                ? owners.lockOwners(caller.orgId()).chain(() -> lock(caller, kind, principalId))
                : lock(caller, kind, principalId).call(() -> owners.lockOwners(caller.orgId()));
    }

    /** Locks the user's or group's row (else 404); for a user, returns it so that its version can go up. */
    private Uni<UserEntity> lock(Principal caller, PrincipalKind kind, UUID principalId) {
        if (kind == PrincipalKind.USER) {
            return users.findForUpdate(caller.orgId(), principalId)
                    .onItem().ifNull().failWith(() -> notFound(kind, principalId));
        }
        return groups.findForUpdate(caller.orgId(), principalId)
                .onItem().ifNull().failWith(() -> notFound(kind, principalId))
                .replaceWith(Uni.createFrom().nullItem());
    }

    private Uni<Target> target(Principal caller, BindingRow binding) {
        return roles.findById(binding.roleId()).chain(role -> binding.workspaceId() == null
                ? Uni.createFrom().item(new Target(role, null))
                : workspaces.findById(binding.workspaceId()).map(workspace -> new Target(role, workspace)));
    }

    /** A user's {@code roles} are part of its SCIM representation: a change gives it a new version. */
    private static void touch(UserEntity user, boolean changed) {
        if (user != null && changed) {
            user.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        }
    }

    private static String reference(String role, String workspace) {
        if (role == null || role.isBlank()) {
            throw CallerChecks.invalid("'role' is required: a role value, id or name, e.g. {\"role\": \"inbox-agent\"}");
        }
        if (workspace != null && workspace.isBlank()) {
            throw CallerChecks.invalid("'workspace' is blank; give a workspace id or name, or leave it out for the "
                    + "whole organization");
        }
        if (role.contains("@")) {
            throw CallerChecks.invalid("'role' (" + role + ") contains '@'; name the workspace in 'workspace' instead");
        }
        return workspace == null ? role.trim() : role.trim() + "@" + workspace.trim();
    }

    private static ScimFailure notFound(PrincipalKind kind, UUID principalId) {
        return CallerChecks.notFound("No " + kind.wire() + " " + principalId + " in this organization");
    }
}
