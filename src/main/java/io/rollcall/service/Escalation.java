package io.rollcall.service;

import java.util.List;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ForbiddenException;

import io.rollcall.access.Grant;
import io.rollcall.access.ManagedRoles;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.access.PolicyEvaluator;
import io.rollcall.access.Principal;
import io.rollcall.access.RolePermissions;
import io.rollcall.store.GrantRepository;
import io.rollcall.store.RoleEntity;
import io.smallrye.mutiny.Uni;

/**
 * Rule 6, no escalation whatever the path: binding a role, writing a role's definition and editing a policy that roles
 * use are all grants, and each needs the caller to hold what the result grants, at the scope it grants it
 * (Organization Owner holds everything but {@code scim:provision}). Rule 5 rides along: no role but the managed SCIM
 * Client grants {@code scim:provision}, so a definition that would is refused (400) whoever writes it.
 */
final class Escalation {

    private Escalation() {
    }

    /** Refuses (403) a grant of {@code granted} beyond what the caller holds; {@code what} names it in the detail. */
    static void requireHeld(Principal caller, List<Grant> granted, String what) {
        if (caller.holds(ManagedRoles.ORGANIZATION_OWNER)) {
            return;
        }
        List<String> missing = RolePermissions.notHeld(caller.grants(), granted);
        if (!missing.isEmpty()) {
            throw ScimFailure.of(new ForbiddenException(what + " needs permissions the caller does not hold: "
                    + describe(missing) + " (a caller grants only what it holds, at the scope it holds it; "
                    + "Organization Owner holds every permission)"));
        }
    }

    /** {@link #requireHeld} for what the role grants bound organization-wide, read in the caller's transaction. */
    static Uni<Void> heldOrRefused(GrantRepository grants, Principal caller, RoleEntity role, String what) {
        if (caller.holds(ManagedRoles.ORGANIZATION_OWNER)) {
            return Uni.createFrom().voidItem();
        }
        return grants.grantsOfRole(caller.orgId(), role.id).invoke(granted -> requireHeld(caller, granted, what))
                .replaceWithVoid();
    }

    /**
     * The checks on a role's definition as it would be stored: never {@code scim:provision} (400 naming it), and
     * nothing beyond the caller's permissions (403).
     */
    static void requireDefinable(Principal caller, String roleName, List<Grant> granted, String action) {
        if (RolePermissions.grantable(granted).contains(PermissionCatalogue.SCIM_PROVISION)) {
            throw ScimFailure.of(BadRequestException.invalidValue("Role '" + roleName + "' would grant "
                    + PermissionCatalogue.SCIM_PROVISION + ", which only the managed SCIM Client role grants (to access "
                    + "keys): leave out the policies that allow it (such as ScimProvision or ScimFullAccess, or a "
                    + "copy of SCIM Client's)"));
        }
        requireHeld(caller, granted, action + " role '" + roleName + "'");
    }

    /**
     * Refuses (403) taking deny statements away from what reaches principals ({@link RolePermissions#lifted}) unless the
     * caller holds what they denied: any deny wins over every allow, so lifting one grants what it denied.
     */
    static void requireMayLift(Principal caller, List<Grant> before, List<Grant> after, String what) {
        if (caller.holds(ManagedRoles.ORGANIZATION_OWNER)) {
            return;
        }
        List<String> missing = RolePermissions.lifted(before, after).stream().filter(entry -> {
            int at = entry.indexOf('@');
            String key = at < 0 ? entry : entry.substring(0, at);
            return !PolicyEvaluator.evaluate(caller.grants(), key, at < 0 ? null : entry.substring(at + 1)).allowed();
        }).toList();
        if (!missing.isEmpty()) {
            throw ScimFailure.of(new ForbiddenException(what + " takes away deny statements over permissions the "
                    + "caller does not hold: " + describe(missing) + " (lifting a deny grants what it denied; "
                    + "Organization Owner may)"));
        }
    }

    /** {@code campaigns:launch}, and {@code campaigns:launch in workspace <id>} for what is missing only there. */
    private static String describe(List<String> missing) {
        return String.join(", ", missing.stream().map(m -> m.contains("@")
                ? m.substring(0, m.indexOf('@')) + " in workspace " + m.substring(m.indexOf('@') + 1) : m).toList());
    }
}
