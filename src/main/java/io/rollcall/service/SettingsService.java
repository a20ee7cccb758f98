package io.rollcall.service;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.ForbiddenException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rollcall.access.ManagedRoles;
import io.rollcall.access.OrganizationSettings;
import io.rollcall.access.PolicyEvaluator;
import io.rollcall.access.Principal;
import io.rollcall.access.RolePermissions;
import io.rollcall.store.GrantRepository;
import io.rollcall.store.OrganizationRepository;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.RoleEntity;
import io.rollcall.store.RoleRepository;
import io.smallrye.mutiny.Uni;

/**
 * What the organization decides about roles: its fallback role (what a user keeps when nothing else grants one, rule
 * 1) and whether identity providers may bind Organization Owner (rule 6). Reading needs {@code organization:read},
 * changing {@code organization:manage}. The fallback role must be assignable: not internal, not SCIM Client (access keys
 * only), not Organization Owner. Users holding the old fallback role as fallback get the new one.
 */
@ApplicationScoped
public class SettingsService {

    private final OrganizationRepository organizations;
    private final RoleRepository roles;
    private final RoleBindingRepository bindings;
    private final GrantRepository grants;

    public SettingsService(OrganizationRepository organizations, RoleRepository roles, RoleBindingRepository bindings,
            GrantRepository grants) {
        this.organizations = organizations;
        this.roles = roles;
        this.bindings = bindings;
        this.grants = grants;
    }

    @WithSession
    public Uni<OrganizationSettings> get(Principal caller) {
        return CallerChecks.checked(caller, "organization:read", "read the organization's settings").chain(() -> organizations.settings(caller.orgId()));
    }

    /**
     * @param fallbackRole a role value, id or name
     */
    public Uni<OrganizationSettings> replace(Principal caller, String fallbackRole, Boolean ownerAssignableOverScim) {
        return Transactions.runToCompletion(Panache.withTransaction(() -> Uni.createFrom().item(() -> {
            CallerChecks.require(caller, "organization:manage", "change the organization's settings");
            if (fallbackRole == null || fallbackRole.isBlank()) {
                throw CallerChecks.invalid("'fallbackRole' is required: the role (value, id or name) a user keeps when "
                        + "nothing else grants one, e.g. \"" + OrganizationSettings.DEFAULT_FALLBACK_ROLE + "\"");
            }
            if (ownerAssignableOverScim == null) {
                throw CallerChecks.invalid("'ownerAssignableOverScim' is required: true or false");
            }
            return fallbackRole.trim();
        }).chain(reference -> roles.findByReference(caller.orgId(), reference).chain(role -> {
            checkAssignable(reference, role);
            return checkNoEscalation(caller, role)
                    // locked: a concurrent change waits, then moves the fallback bindings from what this one set
                    .chain(() -> organizations.settingsForUpdate(caller.orgId()))
                    .chain(previous -> {
                        OrganizationSettings next = new OrganizationSettings(role.value, ownerAssignableOverScim);
                        return organizations.writeSettings(caller.orgId(), next)
                                .chain(() -> previous.fallbackRole().equals(role.value) ? Uni.createFrom().voidItem()
                                        : roles.findByValue(caller.orgId(), previous.fallbackRole())
                                                .chain(old -> old == null ? Uni.createFrom().voidItem()
                                                        : bindings.moveFallback(caller.orgId(), old.id, role.id)
                                                                .replaceWithVoid()))
                                .replaceWith(next);
                    });
        }))));
    }

    private static void checkAssignable(String reference, RoleEntity role) {
        if (role == null) {
            throw CallerChecks.invalid("'fallbackRole' (" + reference + ") is not a role of this organization; name a "
                    + "role by its value, id or name");
        }
        if (role.internal) {
            throw CallerChecks.invalid("'fallbackRole' (" + reference + ") is an internal role and cannot be assigned");
        }
        if (role.value.equals(ManagedRoles.SCIM_CLIENT)) {
            throw CallerChecks.invalid("'fallbackRole' cannot be SCIM Client: it is bound only to access keys");
        }
        if (role.value.equals(ManagedRoles.ORGANIZATION_OWNER)) {
            throw CallerChecks.invalid("'fallbackRole' cannot be Organization Owner: every user without a role would "
                    + "own the organization");
        }
    }

    /** Rule 6: the fallback role goes to every user without another role, so the caller must hold what it grants. */
    private Uni<Void> checkNoEscalation(Principal caller, RoleEntity role) {
        if (caller.holds(ManagedRoles.ORGANIZATION_OWNER)) {
            return Uni.createFrom().voidItem();
        }
        return grants.grantsOfRole(caller.orgId(), role.id).invoke(roleGrants -> {
            Set<String> missing = new LinkedHashSet<>(RolePermissions.grantable(roleGrants));
            missing.removeAll(PolicyEvaluator.effectivePermissions(caller.grants(), null));
            if (!missing.isEmpty()) {
                throw ScimFailure.of(new ForbiddenException("Making '" + role.name + "' the fallback role grants "
                        + "permissions the caller does not hold: " + String.join(", ", missing)
                        + " (Organization Owner may choose any assignable role)"));
            }
        }).replaceWithVoid();
    }
}
