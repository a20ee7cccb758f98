package io.rollcall.service;

import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.rollcall.access.Principal;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.UserRepository;
import io.smallrye.mutiny.Uni;

/**
 * What changing a group's membership does to roles, when the group (or one containing it) holds any: users who lose
 * the group's roles get the fallback role if nothing else grants one, users who gain them lose it (rule 1), and a
 * change that could take Organization Owner from someone runs under the last-owner guard (rule 3). A change that may
 * remove members first locks the members' rows (in id order, before the owner lock), so that it and a concurrent write
 * to a member's own roles apply one after the other and the later one sees what the earlier one left. Groups that grant
 * no role — most, and all of them in organizations that bind roles only to users — cost one index probe.
 */
@ApplicationScoped
public class GroupRoleEffects {

    private final RoleBindingRepository bindings;
    private final RoleAssignments assignments;
    private final UserRepository users;

    public GroupRoleEffects(RoleBindingRepository bindings, RoleAssignments assignments, UserRepository users) {
        this.bindings = bindings;
        this.assignments = assignments;
        this.users = users;
    }

    /** @param removes whether the change may remove members (or the group itself) */
    public <T> Uni<T> around(Principal caller, UUID groupId, boolean removes, Supplier<Uni<T>> change) {
        UUID orgId = caller.orgId();
        return bindings.reachOf(orgId, groupId).chain(reach -> {
            if (!reach.grantsRoles()) {
                return change.get();
            }
            return bindings.usersUnderGroup(orgId, groupId).chain(before -> {
                Supplier<Uni<T>> reconciled = () -> change.get()
                        .call(() -> assignments.reconcileFallback(orgId, before))
                        .call(() -> assignments.reconcileFallbackUnder(orgId, groupId));
                if (!removes) {
                    return reconciled.get();
                }
                // the members' rows first, as a write to their own roles locks them: otherwise each side sees the
                // other's role still there, neither brings the fallback in, and a member is left with none (rule 1)
                return users.lockAll(orgId, before).chain(() -> reach.grantsOwner()
                        ? assignments.guardingOwners(orgId, reconciled) : reconciled.get());
            });
        });
    }
}
