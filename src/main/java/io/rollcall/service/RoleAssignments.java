package io.rollcall.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ForbiddenException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;

import io.rollcall.access.Grant;
import io.rollcall.access.ManagedRoles;
import io.rollcall.access.OrganizationSettings;
import io.rollcall.access.Principal;
import io.rollcall.access.RoleReference;
import io.rollcall.store.BindingRow;
import io.rollcall.store.GrantRepository;
import io.rollcall.store.OrganizationRepository;
import io.rollcall.store.RoleBindingEntity;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.rollcall.store.RoleBindingEntity.Source;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.OwnerRuleRepository;
import io.rollcall.store.FallbackRoleRepository;
import io.rollcall.store.RoleEntity;
import io.rollcall.store.RoleChangeEvents;
import io.rollcall.store.RoleRepository;
import io.rollcall.store.WorkspaceEntity;
import io.rollcall.store.WorkspaceRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Who holds which role where, changed under the access model's rules, inside the caller's transaction:
 * <ol>
 * <li>every user keeps a role — over SCIM the organization's fallback role fills in (source {@code system}) and leaves
 * when another role arrives; an admin change that would leave an active user without one is refused (409);</li>
 * <li>at least one active human user keeps Organization Owner (checked under a per-organization lock, 409);</li>
 * <li>internal roles are never bound (400 {@code invalidValue});</li>
 * <li>SCIM Client binds only to access keys at organization scope, Organization Owner only at organization scope;</li>
 * <li>no escalation: through the admin API a caller grants only what it holds, at the scope it grants it (Organization
 * Owner grants any); over SCIM the identity provider binds, to users and groups, exactly the roles the organization
 * lets it assign ({@code scimAssignableRoles}, 403 otherwise), whatever its key holds.</li>
 * </ol>
 */
@ApplicationScoped
public class RoleAssignments {

    /** Where a change comes from: it decides the flavour of rule 1 and which authority rule 6 asks for. */
    public enum Channel {
        SCIM, ADMIN;

        Source source() {
            return this == SCIM ? Source.SCIM : Source.LOCAL;
        }
    }

    /** A resolved role reference: the role, and the workspace it is narrowed to (null = the organization). */
    public record Target(RoleEntity role, WorkspaceEntity workspace) {

        public UUID workspaceId() {
            return workspace == null ? null : workspace.id;
        }

        boolean sameAs(BindingRow binding) {
            return binding.sameGrant(role.id, workspaceId());
        }

        String describe() {
            return workspace == null ? "'" + role.name + "'" : "'" + role.name + "' in workspace '" + workspace.name + "'";
        }
    }

    /** Organization Owner's role id per organization: a managed role's id never changes. */
    private final java.util.Map<UUID, UUID> ownerRoles = new java.util.concurrent.ConcurrentHashMap<>();
    private final RoleRepository roles;
    private final WorkspaceRepository workspaces;
    private final RoleBindingRepository bindings;
    private final OwnerRuleRepository owners;
    private final FallbackRoleRepository fallbacks;
    private final GrantRepository grants;
    private final OrganizationRepository organizations;
    private final RoleChangeEvents roleEvents;

    public RoleAssignments(RoleRepository roles, WorkspaceRepository workspaces, RoleBindingRepository bindings, OwnerRuleRepository owners, FallbackRoleRepository fallbacks,
            GrantRepository grants, OrganizationRepository organizations, RoleChangeEvents roleEvents) {
        this.roleEvents = roleEvents;
        this.roles = roles;
        this.workspaces = workspaces;
        this.bindings = bindings;
        this.owners = owners;
        this.fallbacks = fallbacks;
        this.grants = grants;
        this.organizations = organizations;
    }

    /** Resolves role references ({@code value}, id or name, optionally {@code @workspace}); unknown ones → 400. */
    public Uni<List<Target>> resolve(UUID orgId, Collection<String> references, String attribute) {
        return Multi.createFrom().iterable(new LinkedHashSet<>(references))
                .onItem().transformToUniAndConcatenate(reference -> resolveOne(orgId, reference, attribute))
                .collect().asList()
                .map(targets -> {
                    List<Target> distinct = new ArrayList<>();
                    for (Target target : targets) {
                        if (distinct.stream().noneMatch(t -> t.role().id.equals(target.role().id)
                                && java.util.Objects.equals(t.workspaceId(), target.workspaceId()))) {
                            distinct.add(target);
                        }
                    }
                    return distinct;
                });
    }

    private Uni<Target> resolveOne(UUID orgId, String text, String attribute) {
        RoleReference reference = RoleReference.parse(text).orElseThrow(() -> invalid("'" + text + "' in '" + attribute
                + "' is not a role reference; send a role value, id or name, optionally followed by @workspace"));
        return roles.findByReference(orgId, reference.role()).chain(role -> {
            if (role == null) {
                throw invalid("'" + reference.role() + "' in '" + attribute + "' is not a role of this organization; "
                        + "send a role value, id or name (GET /scim/v2/Roles lists them)");
            }
            if (role.internal) {
                throw invalid("'" + reference.role() + "' is an internal role and cannot be assigned");
            }
            if (reference.workspace() == null) {
                return Uni.createFrom().item(new Target(role, null));
            }
            return workspaces.findByReference(orgId, reference.workspace()).map(workspace -> {
                if (workspace == null) {
                    throw invalid("'" + reference.workspace() + "' in '" + text + "' is not a workspace of this "
                            + "organization; name it by id or name");
                }
                return new Target(role, workspace);
            });
        });
    }

    /**
     * Makes the principal's bindings from {@code channel}'s source exactly {@code targets}: adds what is missing (a
     * {@code system} fallback binding asked for explicitly becomes the channel's), removes that source's others, and
     * leaves bindings from other sources alone. Users then get or lose the fallback role.
     *
     * @return whether any binding changed
     */
    public Uni<Boolean> replace(Principal caller, Channel channel, PrincipalKind kind, UUID principalId,
            List<Target> targets) {
        return bindings.ofPrincipal(caller.orgId(), kind, principalId)
                .chain(current -> replace(caller, channel, kind, principalId, targets, current));
    }

    /** {@link #replace} for a caller that has just read the principal's bindings in this transaction. */
    public Uni<Boolean> replace(Principal caller, Channel channel, PrincipalKind kind, UUID principalId,
            List<Target> targets, List<BindingRow> current) {
        List<Target> added = targets.stream().filter(t -> current.stream().noneMatch(t::sameAs)).toList();
        List<BindingRow> promoted = current.stream()
                .filter(b -> b.source().equals(Source.SYSTEM.wire()) && targets.stream().anyMatch(t -> t.sameAs(b)))
                .toList();
        List<BindingRow> removed = current.stream()
                .filter(b -> b.source().equals(channel.source().wire()) && targets.stream().noneMatch(t -> t.sameAs(b)))
                .toList();
        if (added.isEmpty() && promoted.isEmpty() && removed.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        Supplier<Uni<Boolean>> change = () -> checkGrantable(caller, channel, kind, added)
                .chain(() -> checkLiftable(caller, channel, removed))
                .chain(() -> Multi.createFrom().iterable(added)
                        .onItem().transformToUniAndConcatenate(t -> bindings.persist(RoleBindingEntity.of(
                                caller.orgId(), kind, principalId, t.role().id, t.workspaceId(), channel.source())))
                        .collect().last())
                .chain(() -> Multi.createFrom().iterable(promoted)
                        .onItem().transformToUniAndConcatenate(b -> bindings.changeSource(caller.orgId(), b.id(),
                                channel.source()))
                        .collect().last())
                .chain(() -> bindings.deleteByIds(caller.orgId(), removed.stream().map(BindingRow::id).toList()))
                .chain(() -> bindings.flush())
                .chain(() -> afterChange(caller.orgId(), channel, kind, principalId))
                .replaceWith(true);
        Supplier<Uni<Boolean>> announced = () -> announcing(caller.orgId(), kind, principalId, change);
        return removesOwner(removed) ? guardingOwners(caller.orgId(), announced) : announced.get();
    }

    /** Adds one binding (no-op when the principal already holds that role there). */
    public Uni<Boolean> bind(Principal caller, Channel channel, PrincipalKind kind, UUID principalId, Target target) {
        return bindings.ofPrincipal(caller.orgId(), kind, principalId).chain(current -> {
            if (current.stream().anyMatch(target::sameAs)) {
                BindingRow existing = current.stream().filter(target::sameAs).findFirst().orElseThrow();
                if (!existing.source().equals(Source.SYSTEM.wire())) {
                    return Uni.createFrom().item(false);
                }
                return bindings.changeSource(caller.orgId(), existing.id(), channel.source())
                        .chain(() -> afterChange(caller.orgId(), channel, kind, principalId)).replaceWith(true);
            }
            return checkGrantable(caller, channel, kind, List.of(target))
                    .chain(() -> announcing(caller.orgId(), kind, principalId, () -> bindings.persist(RoleBindingEntity.of(
                            caller.orgId(), kind, principalId, target.role().id, target.workspaceId(), channel.source()))
                            .chain(() -> bindings.flush())
                            .chain(() -> afterChange(caller.orgId(), channel, kind, principalId))))
                    .replaceWith(true);
        });
    }

    /** Removes one binding whatever its source (no-op when absent). */
    public Uni<Boolean> unbind(Principal caller, Channel channel, PrincipalKind kind, UUID principalId, Target target) {
        return bindings.ofPrincipal(caller.orgId(), kind, principalId).chain(current -> {
            List<BindingRow> removed = current.stream().filter(target::sameAs).toList();
            if (removed.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            if (channel == Channel.SCIM) {
                return organizations.settings(caller.orgId()).chain(settings -> {
                    checkDelegated(settings, kind, target);
                    return removeBindings(caller, channel, kind, principalId, removed);
                });
            }
            return removeBindings(caller, channel, kind, principalId, removed);
        });
    }

    private Uni<Boolean> removeBindings(Principal caller, Channel channel, PrincipalKind kind, UUID principalId,
            List<BindingRow> removed) {
        Supplier<Uni<Boolean>> change = () -> checkLiftable(caller, channel, removed)
                .chain(() -> announcing(caller.orgId(), kind, principalId, () -> bindings.deleteByIds(caller.orgId(),
                        removed.stream().map(BindingRow::id).toList())
                        .chain(() -> afterChange(caller.orgId(), channel, kind, principalId))))
                .replaceWith(true);
        return removesOwner(removed) ? guardingOwners(caller.orgId(), change) : change.get();
    }

    /** Gives the listed users the fallback role if nothing else grants them one, and takes it when something does. */
    public Uni<Void> reconcileFallback(UUID orgId, Collection<UUID> userIds) {
        return fallbacks.reconcileFallback(orgId, userIds).replaceWithVoid();
    }

    /** The same for every user in the group, directly or through nested groups. */
    public Uni<Void> reconcileFallbackUnder(UUID orgId, UUID groupId) {
        return fallbacks.reconcileFallbackUnderGroup(orgId, groupId).replaceWithVoid();
    }

    /**
     * Runs a change that may take Organization Owner from someone: serialised per organization, and refused (409,
     * nothing applied) if there was an active human owner before and there is none after.
     */
    public <T> Uni<T> guardingOwners(UUID orgId, Supplier<Uni<T>> change) {
        return roles.findByValue(orgId, ManagedRoles.ORGANIZATION_OWNER).chain(owner -> owners.lockOwners(orgId)
                .chain(() -> owners.hasActiveOwner(orgId, owner.id))
                .chain(hadOwner -> change.get().call(() -> bindings.flush())
                        .call(() -> !hadOwner ? Uni.createFrom().voidItem()
                                : owners.hasActiveOwner(orgId, owner.id).invoke(hasOwner -> {
                                    if (!hasOwner) {
                                        throw ScimFailure.of(new ResourceConflictException("This change would leave "
                                                + "the organization without an active user holding Organization Owner; "
                                                + "give the role to another active user first"));
                                    }
                                }))));
    }

    /** Whether the user is an active Organization Owner now (directly or through groups). */
    public Uni<Boolean> isActiveOwner(UUID orgId, UUID userId) {
        UUID known = ownerRoles.get(orgId);
        Uni<UUID> owner = known != null ? Uni.createFrom().item(known)
                : roles.findByValue(orgId, ManagedRoles.ORGANIZATION_OWNER).map(role -> role.id)
                        .invoke(id -> ownerRoles.put(orgId, id));
        return owner.chain(id -> owners.isActiveOwner(orgId, id, userId));
    }

    /**
     * Runs a change of the principal's role bindings and announces it: {@code user.roles_changed} for a user (with the
     * roles it holds at commit), {@code group.roles_changed} for a group and {@code user.roles_changed} for each user
     * under it whose effective roles the change altered ({@link RoleChangeEvents}, set-based). An access key's roles
     * are no event (the audit row records them).
     */
    private <T> Uni<T> announcing(UUID orgId, PrincipalKind kind, UUID principalId, Supplier<Uni<T>> change) {
        java.util.Optional<AuditedChange> current = ChangeLog.current();
        if (kind == PrincipalKind.USER) {
            return change.get().invoke(() -> current.ifPresent(audited -> audited.userRolesChanged(principalId)
                    .attribute("roles")));
        }
        if (kind == PrincipalKind.GROUP) {
            return roleEvents.remember(orgId, principalId, List.of())
                    .chain(() -> change.get())
                    .call(() -> roleEvents.announce(orgId, principalId, List.of(), ChangeLog.requestId()))
                    .invoke(() -> current.ifPresent(audited -> audited.groupRolesChanged(principalId)
                            .attribute("roles")));
        }
        return change.get().invoke(() -> current.ifPresent(audited -> audited.attribute("roles")));
    }

    private Uni<Void> afterChange(UUID orgId, Channel channel, PrincipalKind kind, UUID principalId) {
        if (kind == PrincipalKind.ACCESS_KEY) {
            return Uni.createFrom().voidItem();
        }
        if (channel == Channel.SCIM) {
            return kind == PrincipalKind.USER ? reconcileFallback(orgId, List.of(principalId))
                    : reconcileFallbackUnder(orgId, principalId);
        }
        Uni<List<String>> orphans = kind == PrincipalKind.USER ? fallbacks.usersWithoutRole(orgId, List.of(principalId))
                : fallbacks.usersWithoutRoleUnderGroup(orgId, principalId);
        return orphans.chain(users -> {
            if (!users.isEmpty()) {
                throw ScimFailure.of(new ResourceConflictException("Every active user keeps at least one role; this "
                        + "change would leave " + String.join(", ", users) + " without any. Give "
                        + (users.size() == 1 ? "that user" : "them") + " another role first"));
            }
            // an admin's binding replaces the fallback the same way an IdP's does
            return kind == PrincipalKind.USER ? reconcileFallback(orgId, List.of(principalId))
                    : reconcileFallbackUnder(orgId, principalId);
        });
    }

    private Uni<Void> checkGrantable(Principal caller, Channel channel, PrincipalKind kind, List<Target> targets) {
        if (targets.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return organizations.settings(caller.orgId()).chain(settings -> Multi.createFrom().iterable(targets)
                .onItem().transformToUniAndConcatenate(target -> {
                    String value = target.role().value;
                    if (value.equals(ManagedRoles.SCIM_CLIENT)
                            && (kind != PrincipalKind.ACCESS_KEY || target.workspace() != null)) {
                        throw invalid("SCIM Client is bound only to access keys, at organization scope; create an "
                                + "access key for the identity provider instead (POST /admin/v1/access-keys)");
                    }
                    if (value.equals(ManagedRoles.ORGANIZATION_OWNER) && target.workspace() != null) {
                        throw invalid("Organization Owner is bound at organization scope only; leave out '@"
                                + target.workspace().name + "'");
                    }
                    if (channel == Channel.SCIM) {
                        checkDelegated(settings, kind, target);
                        return Uni.createFrom().voidItem();
                    }
                    return checkNoEscalation(caller, target);
                })
                .collect().last().replaceWithVoid());
    }

    /**
     * Rule 6b: over SCIM what counts is not what the identity provider's key holds but what the organization lets it
     * assign ({@code scimAssignableRoles}), and only to users and groups: an access key's roles are the admin API's
     * business, or an IdP key could hand itself any assignable role.
     */
    private static void checkDelegated(OrganizationSettings settings, PrincipalKind kind, Target target) {
        if (kind == PrincipalKind.ACCESS_KEY) {
            throw ScimFailure.of(new ForbiddenException("Over SCIM roles are bound to users and groups only; an "
                    + "access key's roles are managed with the admin API (/admin/v1/access-keys)"));
        }
        if (!settings.scimMayAssign(target.role().id, target.role().value)) {
            throw ScimFailure.of(new ForbiddenException("'" + target.role().name + "' is not assignable over SCIM in "
                    + "this organization: the setting scimAssignableRoles lists the roles its identity provider may "
                    + "assign; an administrator can add it with PUT /admin/v1/settings"));
        }
    }

    /** Rule 6 for a binding: what the role grants at the binding's scope is within what the caller holds. */
    private Uni<Void> checkNoEscalation(Principal caller, Target target) {
        if (caller.holds(ManagedRoles.ORGANIZATION_OWNER)) {
            return Uni.createFrom().voidItem();
        }
        String scope = target.workspaceId() == null ? null : target.workspaceId().toString();
        return grants.grantsOfRole(caller.orgId(), target.role().id)
                .invoke(roleGrants -> Escalation.requireHeld(caller, roleGrants.stream()
                        .map(g -> new Grant(g.role(), scope, g.policy(), g.statement())).toList(),
                        "Granting " + target.describe()))
                .replaceWithVoid();
    }

    /**
     * Rule 6 for removals through the admin API: a role's deny statements hold back what the principal's other roles
     * allow, so taking the role away grants what it denied, which the caller must hold (403). Over SCIM the
     * organization's delegation decides, as for adding.
     */
    private Uni<Void> checkLiftable(Principal caller, Channel channel, List<BindingRow> removed) {
        if (channel == Channel.SCIM || removed.isEmpty() || caller.holds(ManagedRoles.ORGANIZATION_OWNER)) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(removed)
                .onItem().transformToUniAndConcatenate(binding -> grants.grantsOfRole(caller.orgId(), binding.roleId())
                        .invoke(roleGrants -> Escalation.requireMayLift(caller, roleGrants.stream()
                                .map(g -> new Grant(g.role(), binding.workspaceId() == null ? null
                                        : binding.workspaceId().toString(), g.policy(), g.statement())).toList(),
                                List.of(), "Removing '" + binding.reference() + "'")))
                .collect().last().replaceWithVoid();
    }

    private static boolean removesOwner(List<BindingRow> removed) {
        return removed.stream().anyMatch(b -> b.roleValue().equals(ManagedRoles.ORGANIZATION_OWNER)
                && !b.principalKind().equals(PrincipalKind.ACCESS_KEY.wire()));
    }

    private static ScimFailure invalid(String detail) {
        return ScimFailure.of(BadRequestException.invalidValue(detail));
    }
}
