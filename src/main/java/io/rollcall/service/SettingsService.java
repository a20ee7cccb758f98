package io.rollcall.service;

import java.util.LinkedHashSet;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.rollcall.access.ManagedRoles;
import io.rollcall.access.OrganizationSettings;
import io.rollcall.access.Principal;
import io.rollcall.store.GrantRepository;
import io.rollcall.store.OrganizationRepository;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.FallbackRoleRepository;
import io.rollcall.store.RoleChangeEvents;
import io.rollcall.store.RoleEntity;
import io.rollcall.store.RoleRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * What the organization decides about roles: its fallback role (what a user keeps when nothing else grants one, rule
 * 1) and the roles its identity provider may bind over SCIM (rule 6b). Reading needs {@code organization:read},
 * changing {@code organization:manage}. The fallback role must be assignable: not internal, not SCIM Client (access keys
 * only), not Organization Owner; users holding the old fallback role as fallback get the new one. Both are grants
 * (the fallback role goes to every user without another, a SCIM-assignable role to whoever the IdP names), so the
 * caller must hold what the fallback role and every role it adds to the list grant (rule 6).
 */
@ApplicationScoped
public class SettingsService {

    /**
     * The settings as administrators see them: roles by value, the SCIM-assignable ones in the order of their names, and
     * whether that list is the default (which takes in custom roles made later) or one an administrator chose.
     */
    public record SettingsView(String fallbackRole, List<String> scimAssignableRoles, boolean scimAssignableRolesDefault) {
    }

    private final OrganizationRepository organizations;
    private final RoleRepository roles;
    private final RoleBindingRepository bindings;
    private final FallbackRoleRepository fallbacks;
    private final GrantRepository grants;

    private final ChangeLog changeLog;

    private final RoleChangeEvents roleEvents;
    public SettingsService(OrganizationRepository organizations, RoleRepository roles, RoleBindingRepository bindings, FallbackRoleRepository fallbacks,
            GrantRepository grants, ChangeLog changeLog, RoleChangeEvents roleEvents) {
        this.roleEvents = roleEvents;
        this.changeLog = changeLog;
        this.organizations = organizations;
        this.roles = roles;
        this.bindings = bindings;
        this.fallbacks = fallbacks;
        this.grants = grants;
    }

    @WithSession
    public Uni<SettingsView> get(Principal caller) {
        return CallerChecks.checked(caller, "organization:read", "read the organization's settings")
                .chain(() -> organizations.settings(caller.orgId()))
                .chain(settings -> view(caller, settings));
    }

    /**
     * @param fallbackRole        a role value, id or name
     * @param scimAssignableRoles role values, ids or names; null puts back the default
     */
    public Uni<SettingsView> replace(Principal caller, String fallbackRole, List<String> scimAssignableRoles) {
        AuditedChange audited = AuditedChange.of(caller, "Settings", "settings", "replace", null)
                .attributes(scimAssignableRoles == null ? List.of("fallbackRole")
                        : List.of("fallbackRole", "scimAssignableRoles"));
        return changeLog.run(audited, () -> Uni.createFrom().item(() -> {
            CallerChecks.require(caller, "organization:manage", "change the organization's settings");
            if (fallbackRole == null || fallbackRole.isBlank()) {
                throw CallerChecks.invalid("'fallbackRole' is required: the role (value, id or name) a user keeps when "
                        + "nothing else grants one, e.g. \"" + OrganizationSettings.DEFAULT_FALLBACK_ROLE + "\"");
            }
            if (scimAssignableRoles != null && scimAssignableRoles.stream().anyMatch(r -> r == null || r.isBlank())) {
                throw CallerChecks.invalid("'scimAssignableRoles' holds a null or blank entry; list role values, ids "
                        + "or names");
            }
            return fallbackRole.trim();
        }).chain(reference -> roles.findByReference(caller.orgId(), reference).chain(role -> {
            checkAssignable(reference, role);
            return Escalation.heldOrRefused(grants, caller, role, "Making '" + role.name + "' the fallback role")
                    .chain(() -> scimAssignable(caller, scimAssignableRoles))
                    // locked: a concurrent change waits, then moves the fallback bindings from what this one set
                    .chain(assignable -> organizations.settingsForUpdate(caller.orgId())
                            .chain(previous -> checkDelegable(caller, previous, assignable).chain(() -> {
                                OrganizationSettings next = new OrganizationSettings(role.value,
                                        assignable == null ? null : assignable.stream().map(r -> r.id).toList());
                                return organizations.writeSettings(caller.orgId(), next)
                                        .chain(() -> previous.fallbackRole().equals(role.value)
                                                ? Uni.createFrom().voidItem()
                                                : roles.findByValue(caller.orgId(), previous.fallbackRole())
                                                        .chain(old -> old == null ? Uni.createFrom().voidItem()
                                                                : movingFallback(caller, old.id, role.id)))
                                        .chain(() -> view(caller, next));
                            })));
        })));
    }

    /** Users holding the old fallback role hold the new one: user.roles_changed for each whose roles changed. */
    private Uni<Void> movingFallback(Principal caller, java.util.UUID from, java.util.UUID to) {
        return roleEvents.rememberFallbackHolders(caller.orgId(), from)
                .chain(() -> fallbacks.moveFallback(caller.orgId(), from, to))
                .chain(() -> roleEvents.announceRemembered(caller.orgId(), ChangeLog.requestId()))
                .replaceWithVoid();
    }

    private Uni<SettingsView> view(Principal caller, OrganizationSettings settings) {
        return roles.listVisible(caller.orgId()).map(visible -> new SettingsView(settings.fallbackRole(),
                visible.stream().filter(r -> settings.scimMayAssign(r.id, r.value)).map(r -> r.value).toList(),
                settings.scimAssignableRoles() == null));
    }

    /** The listed roles, each a visible role of the organization other than SCIM Client; null for the default. */
    private Uni<List<RoleEntity>> scimAssignable(Principal caller, List<String> references) {
        if (references == null) {
            return Uni.createFrom().nullItem();
        }
        return Multi.createFrom().iterable(new LinkedHashSet<>(references.stream().map(String::trim).toList()))
                .onItem().transformToUniAndConcatenate(reference -> roles.findByReference(caller.orgId(), reference)
                        .map(role -> {
                            if (role == null) {
                                throw CallerChecks.invalid("'" + reference + "' in 'scimAssignableRoles' is not a role "
                                        + "of this organization; name roles by value, id or name");
                            }
                            if (role.internal) {
                                throw CallerChecks.invalid("'" + reference + "' in 'scimAssignableRoles' is an internal "
                                        + "role: internal roles are never assignable");
                            }
                            if (role.value.equals(ManagedRoles.SCIM_CLIENT)) {
                                throw CallerChecks.invalid("'scimAssignableRoles' cannot list SCIM Client: it is bound "
                                        + "only to access keys, through the admin API");
                            }
                            return role;
                        }))
                .collect().asList()
                .map(found -> List.copyOf(found.stream().collect(java.util.stream.Collectors.toMap(r -> r.id, r -> r,
                        (a, b) -> a, java.util.LinkedHashMap::new)).values()));
    }

    /** Rule 6: each role the identity provider may newly bind is a grant the caller must hold itself. */
    private Uni<Void> checkDelegable(Principal caller, OrganizationSettings previous, List<RoleEntity> assignable) {
        Uni<List<RoleEntity>> next = assignable != null ? Uni.createFrom().item(assignable)
                : roles.listVisible(caller.orgId()).map(visible -> visible.stream()
                        .filter(r -> OrganizationSettings.defaults().scimMayAssign(r.id, r.value)).toList());
        return next.chain(list -> Multi.createFrom().iterable(list.stream()
                        .filter(r -> !previous.scimMayAssign(r.id, r.value)).toList())
                .onItem().transformToUniAndConcatenate(role -> Escalation.heldOrRefused(grants, caller, role,
                        "Letting the identity provider assign '" + role.name + "'"))
                .collect().last().replaceWithVoid());
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
}
