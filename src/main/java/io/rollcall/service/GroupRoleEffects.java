package io.rollcall.service;

import java.util.Collection;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.rollcall.access.Principal;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.FallbackRoleRepository;
import io.rollcall.store.RoleChangeEvents;
import io.smallrye.mutiny.Uni;

/**
 * What changing a group's membership does to roles, when the group (or one containing it) holds any: users who lose
 * the group's roles get the fallback role if nothing else grants one, users who gain them lose it (rule 1), and a
 * change that could take Organization Owner from someone runs under the last-owner guard (rule 3). Groups that grant
 * no role — most, and all of them in organizations that bind roles only to users — cost one index probe. For the rest
 * the work is set-based SQL whatever the group's size: a change that may remove members first locks the rows of the
 * users under the group (in id order, before the owner lock), so that it and a concurrent write to a member's own roles
 * apply one after the other, and notes, in a temporary table, those that hold no role of their own; after it, one
 * statement gives the fallback role to those (and anyone under the group) left without any, and takes it from those
 * that have another.
 */
@ApplicationScoped
public class GroupRoleEffects {

    private final RoleBindingRepository bindings;
    private final FallbackRoleRepository fallbacks;
    private final RoleAssignments assignments;
    private final RoleChangeEvents roleEvents;

    public GroupRoleEffects(RoleBindingRepository bindings, FallbackRoleRepository fallbacks, RoleAssignments assignments,
            RoleChangeEvents roleEvents) {
        this.roleEvents = roleEvents;
        this.bindings = bindings;
        this.fallbacks = fallbacks;
        this.assignments = assignments;
    }

    /**
     * @param removes whether the change may remove members (or the group itself)
     * @param adding  the member ids the change adds: with the users under the group, those whose effective roles it
     *                may change, announced with {@code user.roles_changed} ({@link RoleChangeEvents})
     */
    public <T> Uni<T> around(Principal caller, UUID groupId, boolean removes, Collection<UUID> adding,
            Supplier<Uni<T>> change) {
        UUID orgId = caller.orgId();
        return bindings.reachOf(orgId, groupId).chain(reach -> {
            if (!reach.grantsRoles()) {
                return change.get();
            }
            // the users' roles as they were, noted once their rows are locked (when they are), compared at the end
            if (!removes) {
                return roleEvents.remember(orgId, groupId, adding)
                        .chain(() -> change.get())
                        .call(() -> assignments.reconcileFallbackUnder(orgId, groupId))
                        .call(() -> roleEvents.announce(orgId, groupId, adding, ChangeLog.requestId()));
            }
            // set-based: the users who may lose the group's roles are locked and noted in the database, never listed here
            Supplier<Uni<T>> reconciled = () -> roleEvents.remember(orgId, groupId, adding)
                    .chain(() -> fallbacks.rememberUsersUnderGroup(orgId, groupId))
                    .chain(() -> change.get())
                    .call(() -> fallbacks.reconcileFallbackUnderGroupAndRemembered(orgId, groupId))
                    .call(() -> roleEvents.announce(orgId, groupId, adding, ChangeLog.requestId()));
            return bindings.lockUsersUnderGroup(orgId, groupId).chain(() -> reach.grantsOwner()
                    ? assignments.guardingOwners(orgId, reconciled) : reconciled.get());
        });
    }
}
