package io.rollcall.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.PolicyEvaluator;
import io.rollcall.access.Principal;
import io.rollcall.service.RoleAssignments.Channel;
import io.rollcall.service.RoleAssignments.Target;
import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.ResourceQuery;
import io.rollcall.store.BindingRow;
import io.rollcall.store.GrantRepository;
import io.rollcall.store.GroupRepository;
import io.rollcall.resource.Ids;
import io.rollcall.store.Page;
import io.rollcall.store.ResourceReads;
import io.rollcall.store.TextSearches;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.ScimTables;
import io.rollcall.store.StoredResource;
import io.rollcall.store.UserEntity;
import io.rollcall.store.UserRepository;
import io.rollcall.store.UserView;
import io.rollcall.store.WorkspaceRepository;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * SCIM Users of the caller's organization: create, read, search, replace, patch and delete, with their role bindings
 * under the rules of {@link RoleAssignments}. Replace and patch lock the
 * row for the length of their transaction, so concurrent writers apply one after another and none is lost; the version
 * (ETag) goes up by one with every change. {@code userName} is unique per organization case-insensitively: the unique
 * index decides between racing creates, and the loser gets 409 {@code uniqueness}.
 */
@ApplicationScoped
public class UserService {


    private final UserRepository users;
    private final GroupRepository groups;
    private final ResourceReads reads;
    private final TextSearches textSearches;
    private final RoleBindingRepository bindings;
    private final RoleAssignments assignments;
    private final GrantRepository grants;
    private final WorkspaceRepository workspaces;
    private final Vertx vertx;
    private final ChangeLog changeLog;

    public UserService(UserRepository users, GroupRepository groups, ResourceReads reads, TextSearches textSearches,
            RoleBindingRepository bindings, RoleAssignments assignments, GrantRepository grants,
            WorkspaceRepository workspaces, Vertx vertx, ChangeLog changeLog) {
        this.changeLog = changeLog;
        this.textSearches = textSearches;
        this.grants = grants;
        this.workspaces = workspaces;
        this.users = users;
        this.groups = groups;
        this.reads = reads;
        this.bindings = bindings;
        this.assignments = assignments;
        this.vertx = vertx;
    }

    /**
     * Creates the user with the roles the write names (bound with source {@code scim}); a user created without roles
     * gets the organization's fallback role.
     */
    public Uni<StoredResource> create(Principal caller, UserWrite write) {
        AuditedChange change = AuditedChange.create(caller, "User", "user").attributes(UserChanges.written(write));
        return hash(write.password()).chain(hash -> changeLog.run(change, () -> {
            UserEntity user = new UserEntity();
            user.id = Ids.timeOrdered();
            user.orgId = caller.orgId();
            apply(user, write, hash);
            user.createdAt = user.updatedAt;
            change.resource(user.id).event("user.created", "User", user.id,
                    UserChanges.payload(change.attributeNames()));
            return resolveRoles(caller, write)
                    .chain(targets -> users.persist(user).chain(users::flush)
                            .chain(() -> targets == null || targets.isEmpty()
                                    ? changeLog.grantFallbackAsLastStep(change, user.id)
                                    : assignments.replace(caller, Channel.SCIM, PrincipalKind.USER, user.id, targets)
                                            .replaceWithVoid()))
                    .map(ignored -> StoredResource.of(user));
        })).onFailure().transform(failure -> uniqueness(failure, write));
    }

    /**
     * @param withGroups whether to read the user's groups in the same statement
     * @param withRoles  whether to read the user's role bindings in the same statement
     */
    public Uni<StoredResource> get(Principal caller, UUID id, boolean withGroups, boolean withRoles) {
        return reads.findById(ScimTables.USERS, caller.orgId(), id, UserRepository.computed(withGroups, withRoles))
                .onItem().ifNull().failWith(() -> notFound(id));
    }

    /**
     * Groups and roles a listing page reads at most for all its users (about 2.5 MB of rows and JSON at ~170 bytes a
     * group): the page ends before the user that would pass it, so that a page of users in thousands of groups each
     * cannot take the heap. RFC 7644 §3.4.2.4: {@code count} is the desired maximum, {@code itemsPerPage} says how many
     * came, and the next {@code startIndex} follows from it.
     */
    public static final int PAGE_RELATION_ROWS = 5_000;

    /**
     * One page of the query's users with the total; their groups and roles are read unless the query omits them.
     *
     * @param attributes how the query's attribute paths resolve (the User schemas)
     */
    public Uni<Page<UserView>> search(Principal caller, AttributeResolver attributes, ResourceQuery query) {
        boolean withGroups = query.wants("groups");
        boolean withRoles = query.wants("roles");
        // A filtered search — mostly an IdP's matching lookup, answering one user or none — reads groups and roles in
        // the same statement (subqueries run for returned rows only); a listing page reads them for the whole page in
        // one batched statement rather than subqueries per row.
        if (query.filter() != null) {
            return reads.search(ScimTables.USERS, caller.orgId(), attributes, query,
                    UserRepository.computed(withGroups, withRoles))
                    .map(page -> page.with(page.items().stream().map(UserView::of).toList()));
        }
        return reads.search(ScimTables.USERS, caller.orgId(), attributes, query, null)
                .chain(found -> withRelations(caller, found.items(), withGroups, withRoles).map(found::with));
    }

    /**
     * {@link #search}, for pages of any size: which users are on the page is read first (ids and total), and how big
     * each one's document is, then the users themselves a batch at a time as the answer is written, batches bounded in
     * users and in bytes ({@link PageBatches}). The page ends before a user that could not be read with it — deleted
     * meanwhile, or past the page's {@link #PAGE_RELATION_ROWS} — so that continuing at {@code startIndex} plus the
     * number written skips none (RFC 7644 §3.4.2.4).
     */
    public Uni<StreamedPage<UserView>> stream(Principal caller, AttributeResolver attributes, ResourceQuery query) {
        if (query.count() <= PageBatches.MAX_ITEMS) {
            return search(caller, attributes, query)
                    .map(page -> new StreamedPage<>(page.totalResults(), Multi.createFrom().item(page.items()),
                            page.keyset()));
        }
        boolean withGroups = query.wants("groups");
        boolean withRoles = query.wants("roles");
        return reads.searchIds(ScimTables.USERS, caller.orgId(), attributes, query)
                .chain(page -> reads.documentBytes(ScimTables.USERS, caller.orgId(), page.items())
                        .map(bytes -> new StreamedPage<>(page.totalResults(),
                                batches(caller, page.items(), bytes, withGroups, withRoles), page.keyset())));
    }

    private Multi<List<UserView>> batches(Principal caller, List<UUID> ids, Map<UUID, Long> bytes, boolean withGroups,
            boolean withRoles) {
        AtomicInteger budget = new AtomicInteger(PAGE_RELATION_ROWS);
        return PageBatches.read(ids, id -> bytes.getOrDefault(id, 0L), batch -> budget.get() <= 0
                ? Uni.createFrom().item(List.<UserView>of())
                : reads.byIds(ScimTables.USERS, caller.orgId(), batch, null).chain(found -> {
                    List<StoredResource> inOrder = prefixInOrder(found, batch);
                    return users.relationsOfUsers(caller.orgId(), inOrder.stream().map(StoredResource::id).toList(),
                            withGroups, withRoles, budget.get()).map(relations -> {
                                List<UserView> views = new ArrayList<>(relations.size());
                                for (int i = 0; i < relations.size(); i++) {
                                    views.add(new UserView(inOrder.get(i), relations.get(i)));
                                    budget.addAndGet(-relations.get(i).rows());
                                }
                                return views;
                            });
                }));
    }

    /** The users read, up to the first one of the batch that was not (deleted since the page was chosen). */
    private static List<StoredResource> prefixInOrder(List<StoredResource> found, List<UUID> batch) {
        List<StoredResource> prefix = new ArrayList<>(found.size());
        for (int i = 0; i < found.size() && found.get(i).id().equals(batch.get(i)); i++) {
            prefix.add(found.get(i));
        }
        return prefix;
    }

    /**
     * The admin API's user list: users whose user name, display name or formatted name contains {@code text} (any
     * case; null for all), by user name, with their roles.
     */
    public Uni<Page<UserView>> list(Principal caller, String text, int offset, int limit) {
        return textSearches.users(caller.orgId(), text, offset, limit)
                .chain(found -> withRelations(caller, found.items(), false, true)
                        .map(views -> new Page<>(found.totalResults(), views)));
    }

    /**
     * The users with these ids that exist, in the order given, their groups and roles read as for a listing page: the
     * list ends early, before the user whose relations would pass {@link #PAGE_RELATION_ROWS}.
     */
    public Uni<List<UserView>> byIds(Principal caller, List<UUID> ids, boolean withGroups, boolean withRoles) {
        return reads.byIds(ScimTables.USERS, caller.orgId(), ids, null)
                .chain(found -> withRelations(caller, found, withGroups, withRoles));
    }

    private Uni<List<UserView>> withRelations(Principal caller, List<StoredResource> found, boolean withGroups,
            boolean withRoles) {
        return users.relationsOfUsers(caller.orgId(), found.stream().map(StoredResource::id).toList(), withGroups,
                withRoles, PAGE_RELATION_ROWS).map(relations -> {
                    List<UserView> views = new ArrayList<>(relations.size());
                    for (int i = 0; i < relations.size(); i++) {
                        views.add(new UserView(found.get(i), relations.get(i)));
                    }
                    return views;
                });
    }

    /** Every binding reaching the user and the permissions they give it, on the organization and per workspace. */
    public Uni<EffectiveAccess> effectiveAccess(Principal caller, UUID id) {
        return Panache.withSession(() -> bindings.reachingUser(caller.orgId(), id)
                .chain(reaching -> grants.grantsReachingUser(caller.orgId(), id)
                        .chain(reached -> workspaces.listOf(caller.orgId()).map(all -> {
                            Map<String, Set<String>> permissions = new LinkedHashMap<>();
                            permissions.put(EffectiveAccess.ORGANIZATION, PolicyEvaluator.effectivePermissions(reached, null));
                            all.forEach(w -> permissions.put(w.name,
                                    PolicyEvaluator.effectivePermissions(reached, w.id.toString())));
                            return new EffectiveAccess(reaching, permissions);
                        }))));
    }

    /**
     * Replaces or patches the user: {@code change} turns the stored document into what to store, and runs while the
     * row is locked, so it always sees the latest version.
     *
     * @param verb    {@code replace} or {@code patch}, as the audit log names the change
     * @param ifMatch the request's {@code If-Match}, or null
     */
    public Uni<StoredResource> update(Principal caller, String verb, UUID id, String ifMatch,
            BiFunction<String, List<BindingRow>, UserWrite> change) {
        AuditedChange audited = AuditedChange.of(caller, "User", "user", verb, id);
        return changeLog.run(audited, () -> users.findForUpdate(caller.orgId(), id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(user -> {
                    checkIfMatch(ifMatch, user.version);
                    return bindings.ofPrincipal(caller.orgId(), PrincipalKind.USER, id).chain(current -> {
                        UserWrite asked = change.apply(user.data, current);
                        // the roles a patch carries over unchanged need no resolving (the common case)
                        UserWrite write = asked.roles() != null && Set.copyOf(asked.roles()).equals(scimVisible(current))
                                ? withoutRoles(asked) : asked;
                        boolean deactivates = user.active && !write.active();
                        UserChanges.recordUpdate(audited, id, user.data, user.active, write);
                        return resolveRoles(caller, write).chain(targets -> hash(write.password()).chain(hash -> {
                            Supplier<Uni<StoredResource>> store = () -> {
                                apply(user, write, hash);
                                return users.flush()
                                        .chain(() -> targets == null ? Uni.createFrom().voidItem()
                                                : assignments.replace(caller, Channel.SCIM, PrincipalKind.USER, id, targets,
                                                        current).replaceWithVoid())
                                        .map(ignored -> StoredResource.of(user));
                            };
                            return deactivates ? guardingOwnerOf(caller, id, store) : store.get();
                        })).onFailure().transform(failure -> uniqueness(failure, write));
                    });
                }));
    }

    /**
     * Deletes the user with its group memberships (the groups that contained it get a new version) and role bindings.
     */
    public Uni<Void> delete(Principal caller, UUID id, String ifMatch) {
        AuditedChange change = AuditedChange.delete(caller, "User", "user", id);
        // the organization's membership lock first: this waits for the step-by-step member adds in flight, whose new
        // rows the statements after it then see and remove, and adds that start later no longer find the user. The
        // one-statement adds lock the users they add (GroupMemberWrites): deleting the row, before leaving the groups,
        // waits for those in flight and makes later ones wait and find no user
        return changeLog.run(change, () -> groups.lockMembershipsExclusive(caller.orgId())
                .chain(() -> users.findForUpdate(caller.orgId(), id))
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(user -> {
                    checkIfMatch(ifMatch, user.version);
                    Supplier<Uni<Void>> remove = () -> users.delete("orgId = ?1 and id = ?2", caller.orgId(), id)
                            .chain(() -> groups.leaveAllGroups(caller.orgId(), id, now()))
                            .chain(() -> bindings.deleteAllOf(caller.orgId(), PrincipalKind.USER, id))
                            .replaceWithVoid();
                    change.event("user.deleted", "User", id, "{}");
                    return user.active ? guardingOwnerOf(caller, id, remove) : remove.get();
                }));
    }

    /** Runs a change that deactivates or removes the user under rule 3 when the user is an active owner. */
    private <T> Uni<T> guardingOwnerOf(Principal caller, UUID userId, Supplier<Uni<T>> change) {
        return assignments.isActiveOwner(caller.orgId(), userId)
                .chain(owner -> owner ? assignments.guardingOwners(caller.orgId(), change) : change.get());
    }

    private static Set<String> scimVisible(List<BindingRow> bindings) {
        return bindings.stream().filter(b -> !b.source().equals("system")).map(BindingRow::reference)
                .collect(java.util.stream.Collectors.toSet());
    }

    private static UserWrite withoutRoles(UserWrite write) {
        return new UserWrite(write.userName(), write.externalId(), write.displayName(), write.active(), write.data(),
                write.password(), null);
    }

    /** The write's role references resolved (400 naming an unknown one), or null when the write leaves roles alone. */
    private Uni<List<Target>> resolveRoles(Principal caller, UserWrite write) {
        if (write.roles() == null) {
            return Uni.createFrom().nullItem();
        }
        return assignments.resolve(caller.orgId(), write.roles(), "roles");
    }

    private static void apply(UserEntity user, UserWrite write, String passwordHash) {
        user.userName = write.userName();
        user.externalId = write.externalId();
        user.displayName = write.displayName();
        user.active = write.active();
        user.data = write.data();
        if (passwordHash != null) {
            user.passwordHash = passwordHash;
        }
        user.updatedAt = now();
    }

    /** bcrypt off the event loop; resumes on the caller's context so the reactive session stays on its thread. */
    private Uni<String> hash(String password) {
        if (password == null) {
            return Uni.createFrom().nullItem();
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> BcryptUtil.bcryptHash(password)));
    }

    private static Throwable uniqueness(Throwable failure, UserWrite write) {
        return StoreFailures.duplicate(failure)
                .filter(duplicate -> duplicate.isOf("userName"))
                .<Throwable>map(duplicate -> ScimFailure.of(ResourceConflictException.uniqueness("userName '" + write.userName()
                        + "' is already taken in this organization (userName is unique, case-insensitively)")))
                .orElse(failure);
    }

    private static void checkIfMatch(String ifMatch, long version) {
        try {
            ETags.checkIfMatch(ifMatch, version);
        } catch (ScimException e) {
            throw ScimFailure.of(e);
        }
    }

    private static ScimFailure notFound(UUID id) {
        return ScimFailure.of(new ResourceNotFoundException("No user " + id + " in this organization"));
    }

    /** PostgreSQL keeps microseconds; so does what we return, so that meta matches what a later read shows. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
