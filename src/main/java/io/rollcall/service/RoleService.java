package io.rollcall.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ForbiddenException;
import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.Grant;
import io.rollcall.access.Permission;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.access.Principal;
import io.rollcall.service.RoleAssignments.Channel;
import io.rollcall.service.RoleAssignments.Target;
import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.ResourceQuery;
import io.rollcall.store.GrantRepository;
import io.rollcall.resource.Ids;
import io.rollcall.store.OrganizationRepository;
import io.rollcall.store.Page;
import io.rollcall.store.PolicyRepository;
import io.rollcall.store.ResourceReads;
import io.rollcall.store.TextSearches;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.FallbackRoleRepository;
import io.rollcall.store.RoleCompositionRepository;
import io.rollcall.store.RoleEntity;
import io.rollcall.store.RoleHolder;
import io.rollcall.store.RoleRepository;
import io.rollcall.store.ScimTables;
import io.rollcall.store.StoredResource;
import io.rollcall.store.WorkspaceRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Roles of the caller's organization: read and search (internal roles never show), membership changes on any
 * assignable role (under {@link RoleAssignments}' rules), and create, replace, duplicate and delete of custom roles,
 * which need {@code roles:manage}. Managed roles change only in membership (400 {@code mutability}).
 */
@ApplicationScoped
public class RoleService {

    public static final String MANAGE = "roles:manage";
    private static final Pattern VALUE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    /** One change to who holds a role (its SCIM {@code members}): add or remove the principal (kind null = find out from the id). */
    public record HolderChange(boolean add, UUID principalId, String kind, String workspace) {
    }

    private final RoleRepository roles;
    private final RoleCompositionRepository composition;
    private final PolicyRepository policies;
    private final RoleBindingRepository bindings;
    private final FallbackRoleRepository fallbacks;
    private final WorkspaceRepository workspaces;
    private final OrganizationRepository organizations;
    private final RoleAssignments assignments;
    private final ResourceReads reads;
    private final TextSearches textSearches;
    private final GrantRepository grants;

    public RoleService(RoleRepository roles, RoleCompositionRepository composition, PolicyRepository policies,
            RoleBindingRepository bindings, FallbackRoleRepository fallbacks, WorkspaceRepository workspaces, OrganizationRepository organizations,
            RoleAssignments assignments, ResourceReads reads, TextSearches textSearches, GrantRepository grants) {
        this.textSearches = textSearches;
        this.roles = roles;
        this.composition = composition;
        this.policies = policies;
        this.bindings = bindings;
        this.fallbacks = fallbacks;
        this.workspaces = workspaces;
        this.organizations = organizations;
        this.assignments = assignments;
        this.reads = reads;
        this.grants = grants;
    }

    public Uni<StoredResource> get(Principal caller, UUID id) {
        return reads.findById(ScimTables.ROLES, caller.orgId(), id, null).onItem().ifNull().failWith(() -> notFound(id));
    }

    /** @param attributes how the query's attribute paths resolve (the Role schemas) */
    public Uni<Page<StoredResource>> search(Principal caller, AttributeResolver attributes, ResourceQuery query) {
        return reads.search(ScimTables.ROLES, caller.orgId(), attributes, query, null);
    }

    /**
     * The admin API's role list: roles whose name, value or description contains {@code text} (any case; null for
     * all), of one type ({@code managed}, {@code custom}; null for both), managed first, then by name.
     */
    public Uni<Page<StoredResource>> list(Principal caller, String text, String type, int limit) {
        return textSearches.roles(caller.orgId(), text, type, limit);
    }

    public Uni<List<RoleHolder>> members(Principal caller, UUID roleId) {
        return Panache.withSession(() -> bindings.membersOf(caller.orgId(), roleId));
    }

    /**
     * One page of the role's holders, users holding it through a group included (each with the group): for the admin
     * API, which reads a role of the caller's organization ({@link #get} first, so another's is a 404).
     */
    public Uni<Page<RoleHolder>> holders(Principal caller, UUID roleId, int offset, int limit) {
        return Panache.withSession(() -> bindings.holdersOf(caller.orgId(), roleId, offset, limit));
    }

    /**
     * Creates a custom role and adds its first members in one transaction: a member that is refused leaves no role
     * behind (SCIM {@code POST /Roles} with {@code members}).
     */
    public Uni<UUID> createWithMembers(Principal caller, Channel channel, RoleDefinition definition,
            List<HolderChange> members) {
        return atomically(() -> create(caller, definition).call(id -> members.isEmpty() ? Uni.createFrom().voidItem()
                : changeMembers(caller, channel, id, members)));
    }

    /**
     * Changes a role's definition and its members in one transaction: if either is refused, neither happens (SCIM
     * {@code PATCH /Roles/{id}}).
     *
     * @param rewrite the new definition from the current one (a protocol's patch, validated), or null to keep it
     */
    public Uni<Void> update(Principal caller, Channel channel, UUID id, String ifMatch,
            Function<RoleDefinition, RoleDefinition> rewrite, List<HolderChange> members) {
        return atomically(() -> (rewrite == null ? Uni.createFrom().voidItem()
                : definition(caller, id).chain(current -> replace(caller, id, ifMatch, rewrite.apply(current)))
                        .replaceWithVoid())
                .chain(() -> members.isEmpty() ? Uni.createFrom().voidItem()
                        : changeMembers(caller, channel, id, members)));
    }

    /**
     * The changes join this transaction (Hibernate Reactive reuses the one in progress) only when they are assembled
     * inside {@code changes}: a service call made before opens a session of its own when subscribed, and commits on its
     * own.
     */
    private <T> Uni<T> atomically(Supplier<Uni<T>> changes) {
        return Transactions.runToCompletion(Panache.withTransaction(changes));
    }

    public Uni<UUID> create(Principal caller, RoleDefinition definition) {
        return Transactions.runToCompletion(Panache.withTransaction(() -> {
            require(caller, "create custom roles");
            RoleEntity role = new RoleEntity();
            role.id = Ids.timeOrdered();
            role.orgId = caller.orgId();
            role.type = RoleEntity.CUSTOM;
            role.value = value(definition);
            role.name = name(definition.name());
            role.description = definition.description() == null ? "" : definition.description();
            role.createdAt = now();
            role.updatedAt = role.createdAt;
            return copied(caller, definition).chain(source -> resolvePolicies(caller, source.policies())
                    .chain(policyIds -> roles.persist(role).chain(roles::flush)
                            .chain(() -> composition.replacePolicies(role.id, policyIds))
                            .chain(() -> checkedPermissions(caller, source.permissions()))
                            .chain(ticks -> composition.replacePermissions(caller.orgId(), role.id, ticks))))
                    .chain(() -> checkDefinable(caller, role, definition.copyFrom() == null ? "Creating"
                            : "Duplicating '" + definition.copyFrom().trim() + "' as", List.of()))
                    .replaceWith(role.id);
        })).onFailure().transform(failure -> uniqueness(failure, definition));
    }

    /** Replaces a custom role's name, description, policies and (when given) ticked permissions. */
    public Uni<UUID> replace(Principal caller, UUID id, String ifMatch, RoleDefinition definition) {
        return Transactions.runToCompletion(Panache.withTransaction(() -> lockedCustom(caller, id, ifMatch, "change")
                .chain(role -> {
                    if (definition.value() != null && !definition.value().equals(role.value)) {
                        throw ScimFailure.of(BadRequestException.mutability("A role's value is immutable (it is what "
                                + "identity providers send); it stays '" + role.value + "'"));
                    }
                    role.name = name(definition.name());
                    role.description = definition.description() == null ? "" : definition.description();
                    role.updatedAt = now();
                    return grants.grantsOfRole(caller.orgId(), role.id).chain(before -> resolvePolicies(caller,
                            definition.policies())
                            .chain(policyIds -> composition.replacePolicies(role.id, policyIds))
                            .chain(() -> definition.permissions() == null ? Uni.createFrom().voidItem()
                                    : checkedPermissions(caller, definition.permissions()).chain(ticks ->
                                            composition.replacePermissions(caller.orgId(), role.id, ticks)))
                            .chain(() -> checkDefinable(caller, role, "Changing", before))
                            .chain(roles::flush)
                            .replaceWith(role.id));
                }))).onFailure().transform(failure -> uniqueness(failure, definition));
    }

    /** The definition a patch starts from: the role's picked policies and ticked permissions. */
    public Uni<RoleDefinition> definition(Principal caller, UUID id) {
        return Panache.withSession(() -> roles.find("orgId = ?1 and id = ?2 and internal = false", caller.orgId(), id)
                .firstResult()
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(role -> composition.pickedPolicies(role.id)
                        .chain(policies -> composition.tickedPermissions(role.id)
                                .map(permissions -> new RoleDefinition(role.name, role.description, role.value,
                                        policies.stream().map(UUID::toString).toList(), permissions, null)))));
    }

    /**
     * Deletes a custom role with its bindings; refused (409) when it is the organization's fallback role or when a user
     * holding it would be left without any role (rule 8).
     */
    public Uni<Void> delete(Principal caller, UUID id, String ifMatch) {
        // its holders' rows first, as a write to one of their roles locks them (then the role's row, as binding it does)
        return Transactions.runToCompletion(Panache.withTransaction(() -> bindings.lockUsersOfRole(caller.orgId(), id)
                .chain(() -> lockedCustom(caller, id, ifMatch, "delete"))
                .chain(role -> organizations.settings(caller.orgId()).chain(settings -> {
                    if (role.value.equals(settings.fallbackRole())) {
                        throw ScimFailure.of(new ResourceConflictException("'" + role.name + "' is the organization's "
                                + "fallback role; choose another one (PUT /admin/v1/settings) before deleting it"));
                    }
                    return grants.grantsOfRole(caller.orgId(), role.id).invoke(before -> Escalation.requireMayLift(
                            caller, before, List.of(), "Deleting role '" + role.name + "'"))
                            .chain(() -> bindings.usersOf(role.id));
                }).chain(holders -> bindings.delete("orgId = ?1 and roleId = ?2", caller.orgId(), role.id)
                        .chain(() -> composition.replacePolicies(role.id, List.of()))
                        .chain(() -> composition.replacePermissions(caller.orgId(), role.id, List.of()))
                        .chain(() -> roles.delete("orgId = ?1 and id = ?2", caller.orgId(), role.id))
                        .chain(() -> fallbacks.usersWithoutRole(caller.orgId(), holders))
                        .invoke(orphans -> {
                            if (!orphans.isEmpty()) {
                                throw ScimFailure.of(new ResourceConflictException("Every active user keeps at least "
                                        + "one role; deleting '" + role.name + "' would leave " + String.join(", ", orphans)
                                        + " without any. Give them another role first"));
                            }
                        })))
                .replaceWithVoid()));
    }

    /** Adds and removes holders of any assignable role, in order, under the binding rules. */
    public Uni<Void> changeMembers(Principal caller, Channel channel, UUID roleId, List<HolderChange> deltas) {
        return Transactions.runToCompletion(Panache.withTransaction(() -> roles
                .find("orgId = ?1 and id = ?2 and internal = false", caller.orgId(), roleId).firstResult()
                .onItem().ifNull().failWith(() -> notFound(roleId))
                .chain(role -> Multi.createFrom().iterable(deltas)
                        .onItem().transformToUniAndConcatenate(delta -> apply(caller, channel, role, delta))
                        .collect().last())
                .replaceWithVoid()));
    }

    private Uni<Boolean> apply(Principal caller, Channel channel, RoleEntity role, HolderChange delta) {
        return kindOf(caller, delta).chain(kind -> target(caller, role, delta.workspace())
                .chain(target -> delta.add() ? assignments.bind(caller, channel, kind, delta.principalId(), target)
                        : assignments.unbind(caller, channel, kind, delta.principalId(), target)));
    }

    private Uni<PrincipalKind> kindOf(Principal caller, HolderChange delta) {
        return bindings.principalKindOf(caller.orgId(), delta.principalId()).map(found -> {
            if (found == null) {
                throw ScimFailure.of(BadRequestException.invalidValue("No user, group or access key "
                        + delta.principalId() + " in this organization"));
            }
            PrincipalKind kind = PrincipalKind.fromWire(found);
            if (delta.kind() != null && !delta.kind().replace("AccessKey", "access_key").equalsIgnoreCase(kind.wire())) {
                throw ScimFailure.of(BadRequestException.invalidValue("Member " + delta.principalId() + " is a "
                        + kind.wire() + ", not a " + delta.kind()));
            }
            return kind;
        });
    }

    private Uni<Target> target(Principal caller, RoleEntity role, String workspace) {
        if (workspace == null || workspace.isBlank()) {
            return Uni.createFrom().item(new Target(role, null));
        }
        return workspaces.findByReference(caller.orgId(), workspace.trim()).map(found -> {
            if (found == null) {
                throw ScimFailure.of(BadRequestException.invalidValue("'" + workspace + "' is not a workspace of this "
                        + "organization; name it by id or name"));
            }
            return new Target(role, found);
        });
    }

    /**
     * Rules 5 and 6 on the definition as written in this transaction: a refusal rolls the write back, so that what is
     * checked is exactly what the role's holders would get (picked policies, ticked permissions, denies included).
     */
    private Uni<Void> checkDefinable(Principal caller, RoleEntity role, String action, List<Grant> before) {
        return grants.grantsOfRole(caller.orgId(), role.id)
                .invoke(granted -> {
                    Escalation.requireDefinable(caller, role.name, granted, action);
                    Escalation.requireMayLift(caller, before, granted, action + " role '" + role.name + "'");
                })
                .replaceWithVoid();
    }

    private Uni<RoleEntity> lockedCustom(Principal caller, UUID id, String ifMatch, String action) {
        require(caller, action + " custom roles");
        return roles.find("orgId = ?1 and id = ?2 and internal = false", caller.orgId(), id)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResult()
                .onItem().ifNull().failWith(() -> notFound(id))
                .invoke(role -> {
                    if (!RoleEntity.CUSTOM.equals(role.type)) {
                        throw ScimFailure.of(BadRequestException.mutability("'" + role.name + "' is a managed role: "
                                + "only its membership changes (PATCH members), and it cannot be deleted; duplicate it "
                                + "(POST with copyFrom) to make a custom one"));
                    }
                    try {
                        ETags.checkIfMatch(ifMatch, role.version);
                    } catch (ScimException e) {
                        throw ScimFailure.of(e);
                    }
                });
    }

    /** For a duplicate, the source role's policies and permissions, unless the request names its own. */
    private Uni<RoleDefinition> copied(Principal caller, RoleDefinition definition) {
        if (definition.copyFrom() == null) {
            return Uni.createFrom().item(definition);
        }
        return roles.findByReference(caller.orgId(), definition.copyFrom().trim()).chain(source -> {
            if (source == null || source.internal) {
                throw ScimFailure.of(BadRequestException.invalidValue("copyFrom '" + definition.copyFrom() + "' is not "
                        + "a role of this organization"));
            }
            return composition.pickedPolicies(source.id).chain(policies -> composition.tickedPermissions(source.id)
                    .map(permissions -> new RoleDefinition(definition.name(), definition.description(),
                            definition.value(),
                            definition.policies() == null || definition.policies().isEmpty()
                                    ? policies.stream().map(UUID::toString).toList() : definition.policies(),
                            definition.permissions() == null ? permissions : definition.permissions(), null)));
        });
    }

    private Uni<List<UUID>> resolvePolicies(Principal caller, List<String> references) {
        if (references == null || references.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        if (references.stream().anyMatch(Objects::isNull)) {
            return Uni.createFrom().failure(CallerChecks.invalid("'policies' holds a null; list policy names or ids"));
        }
        return Multi.createFrom().iterable(new LinkedHashSet<>(references))
                .onItem().transformToUniAndConcatenate(reference -> policies.findByReference(caller.orgId(), reference)
                        .map(found -> {
                            if (found == null) {
                                throw ScimFailure.of(BadRequestException.invalidValue("'" + reference + "' is not a "
                                        + "managed policy nor one of this organization's; name it by id or name"));
                            }
                            return found.id();
                        }))
                .collect().asList().map(ids -> List.copyOf(new LinkedHashSet<>(ids)));
    }

    /**
     * The permissions a custom role ticks, in the organization's workspaces where scoped: each entry is a catalogue key
     * ({@code campaigns:read}, everywhere) or a key in one workspace named by id or name ({@code campaigns:launch@Sales});
     * a key both everywhere and in a workspace is everywhere. Never {@code scim:provision} (rule 5), and an
     * organization-level permission cannot be scoped (400 naming it); an unknown workspace is 400 naming it.
     */
    public Uni<List<RoleCompositionRepository.Tick>> checkedPermissions(Principal caller, List<String> permissions) {
        if (permissions == null || permissions.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        if (permissions.stream().anyMatch(Objects::isNull)) {
            return Uni.createFrom().failure(CallerChecks.invalid("'permissions' holds a null; list permission keys"));
        }
        Map<String, List<String>> scopes = new LinkedHashMap<>();
        Set<String> everywhere = new HashSet<>();
        for (String entry : permissions) {
            int at = entry.indexOf('@');
            String key = (at < 0 ? entry : entry.substring(0, at)).trim();
            var permission = PermissionCatalogue.find(key);
            if (permission.isEmpty()) {
                return Uni.createFrom().failure(ScimFailure.of(BadRequestException.invalidValue("'" + key + "' is not a "
                        + "permission of the catalogue (GET /admin/v1/permissions lists them)")));
            }
            if (key.equals(PermissionCatalogue.SCIM_PROVISION)) {
                return Uni.createFrom().failure(ScimFailure.of(BadRequestException.invalidValue("scim:provision is "
                        + "granted only by the managed SCIM Client role, bound to access keys; a custom role cannot "
                        + "grant it")));
            }
            List<String> workspacesOfKey = scopes.computeIfAbsent(key, k -> new ArrayList<>());
            if (at < 0) {
                everywhere.add(key);
                continue;
            }
            if (permission.get().level() == Permission.Level.ORG) {
                return Uni.createFrom().failure(ScimFailure.of(BadRequestException.invalidValue("'" + key + "' applies "
                        + "to the whole organization and cannot be scoped to workspaces; tick it for all workspaces")));
            }
            workspacesOfKey.add(entry.substring(at + 1).trim());
        }
        return Multi.createFrom().iterable(scopes.entrySet())
                .onItem().transformToUniAndConcatenate(scoped -> everywhere.contains(scoped.getKey())
                        ? Uni.createFrom().item(new RoleCompositionRepository.Tick(scoped.getKey(), List.of()))
                        : Multi.createFrom().iterable(new LinkedHashSet<>(scoped.getValue()))
                                .onItem().transformToUniAndConcatenate(reference -> workspaces
                                        .findByReference(caller.orgId(), reference).map(found -> {
                                            if (found == null) {
                                                throw ScimFailure.of(BadRequestException.invalidValue("'" + reference
                                                        + "' (for " + scoped.getKey() + ") is not a workspace of this "
                                                        + "organization; name it by id or name (GET /admin/v1/workspaces)"));
                                            }
                                            return found.id;
                                        }))
                                .collect().asList()
                                .map(ids -> new RoleCompositionRepository.Tick(scoped.getKey(),
                                        List.copyOf(new LinkedHashSet<>(ids)))))
                .collect().asList();
    }

    /**
     * The permissions the organization's custom roles (or the one role) tick only in some workspaces: role id → key →
     * workspace ids.
     */
    public Uni<Map<UUID, Map<String, List<String>>>> scopedPermissions(Principal caller, UUID roleIdOrNull) {
        return Panache.withSession(() -> composition.scopedTicks(caller.orgId(), roleIdOrNull));
    }

    private static String value(RoleDefinition definition) {
        String value = definition.value() != null ? definition.value().trim()
                : name(definition.name()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (!VALUE.matcher(value).matches()) {
            throw ScimFailure.of(BadRequestException.invalidValue("A role value is a slug of lower-case letters, digits, "
                    + "'.', '_' and '-' (at most 100), starting with a letter or digit; '" + value + "' is not"));
        }
        return value;
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw ScimFailure.of(BadRequestException.invalidValue("'displayName' is required: the role's name"));
        }
        if (name.contains("@")) {
            throw ScimFailure.of(BadRequestException.invalidValue("A role name cannot contain '@' (it separates a role "
                    + "from a workspace in role references)"));
        }
        return name.trim();
    }

    private static void require(Principal caller, String action) {
        if (!caller.allows(MANAGE)) {
            throw ScimFailure.of(new ForbiddenException("To " + action + " the caller needs the " + MANAGE
                    + " permission in addition to SCIM Client (Organization Owner has it); this key holds "
                    + caller.roles()));
        }
    }

    private static Throwable uniqueness(Throwable failure, RoleDefinition definition) {
        return StoreFailures.duplicate(failure).filter(duplicate -> duplicate.isOf("name") || duplicate.isOf("value"))
                .<Throwable>map(duplicate -> ScimFailure.of(ResourceConflictException.uniqueness(
                        duplicate.attribute().filter("value"::equals).isPresent()
                                ? "A role with the same value exists in this organization; send another value (or "
                                        + "displayName, from which it is derived)"
                                : "A role named '" + definition.name() + "' exists in this organization (names are "
                                        + "unique, case-insensitively)")))
                .orElse(failure);
    }

    private static ScimFailure notFound(UUID id) {
        return ScimFailure.of(new ResourceNotFoundException("No role " + id + " in this organization"));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
