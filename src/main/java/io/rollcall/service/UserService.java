package io.rollcall.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.ResourceConflictException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.Principal;
import io.rollcall.store.GroupRepository;
import io.rollcall.store.Page;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.rollcall.store.ResourceReads;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.ScimTables;
import io.rollcall.store.StoredResource;
import io.rollcall.store.UserEntity;
import io.rollcall.store.UserRepository;
import io.rollcall.store.query.SqlFragment;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * SCIM Users of the caller's organization: create, read, search, replace, patch and delete. Replace and patch lock the
 * row for the length of their transaction, so concurrent writers apply one after another and none is lost; the version
 * (ETag) goes up by one with every change. {@code userName} is unique per organization case-insensitively: the unique
 * index decides between racing creates, and the loser gets 409 {@code uniqueness}.
 */
@ApplicationScoped
public class UserService {

    private static final String USER_NAME_INDEX = "users_org_user_name";

    private final UserRepository users;
    private final GroupRepository groups;
    private final ResourceReads reads;
    private final RoleBindingRepository bindings;
    private final Vertx vertx;

    public UserService(UserRepository users, GroupRepository groups, ResourceReads reads, RoleBindingRepository bindings,
            Vertx vertx) {
        this.users = users;
        this.groups = groups;
        this.reads = reads;
        this.bindings = bindings;
        this.vertx = vertx;
    }

    public Uni<StoredResource> create(Principal caller, UserWrite write) {
        return hash(write.password()).chain(hash -> Transactions.runToCompletion(Panache.withTransaction(() -> {
            UserEntity user = new UserEntity();
            user.id = UUID.randomUUID();
            user.orgId = caller.orgId();
            apply(user, write, hash);
            user.createdAt = user.updatedAt;
            return users.persist(user).chain(users::flush).map(ignored -> StoredResource.of(user));
        }))).onFailure().transform(failure -> uniqueness(failure, write));
    }

    /** @param withGroups whether to read the user's groups in the same statement ({@link StoredResource#related()}) */
    public Uni<StoredResource> get(Principal caller, UUID id, boolean withGroups) {
        return reads.findById(ScimTables.USERS, caller.orgId(), id, withGroups ? UserRepository.GROUPS_JSON : null)
                .onItem().ifNull().failWith(() -> notFound(id));
    }

    /** @param filter null for every user; its parameters start at $2 */
    public Uni<Page<StoredResource>> search(Principal caller, SqlFragment filter, String orderBy, int offset, int limit,
            boolean withGroups) {
        Uni<Page<StoredResource>> page = reads.search(ScimTables.USERS, caller.orgId(), filter, orderBy, offset, limit,
                null);
        if (!withGroups) {
            return page;
        }
        return page.chain(found -> users.groupsOfUsers(caller.orgId(), found.items().stream().map(StoredResource::id).toList())
                .map(groups -> new Page<>(found.totalResults(), found.items().stream()
                        .map(user -> new StoredResource(user.id(), user.data(), user.version(), user.created(),
                                user.lastModified(), groups.get(user.id())))
                        .toList())));
    }

    /**
     * Replaces or patches the user: {@code change} turns the stored document into what to store, and runs while the
     * row is locked, so it always sees the latest version.
     *
     * @param ifMatch the request's {@code If-Match}, or null
     */
    public Uni<StoredResource> update(Principal caller, UUID id, String ifMatch, Function<String, UserWrite> change) {
        return Transactions.runToCompletion(Panache.withTransaction(() -> users.findForUpdate(caller.orgId(), id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(user -> {
                    checkIfMatch(ifMatch, user.version);
                    UserWrite write = change.apply(user.data);
                    return hash(write.password()).chain(hash -> {
                        apply(user, write, hash);
                        return users.flush().map(ignored -> StoredResource.of(user));
                    }).onFailure().transform(failure -> uniqueness(failure, write));
                })));
    }

    /**
     * Deletes the user with its group memberships (the groups that contained it get a new version) and role bindings.
     */
    public Uni<Void> delete(Principal caller, UUID id, String ifMatch) {
        // the organization's membership lock first: this waits for the member adds in flight, whose new rows the
        // statements after it then see and remove, and adds that start later no longer find the user
        return Transactions.runToCompletion(Panache.withTransaction(() -> groups.lockMembershipsExclusive(caller.orgId())
                .chain(() -> users.findForUpdate(caller.orgId(), id))
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(user -> {
                    checkIfMatch(ifMatch, user.version);
                    return users.delete("orgId = ?1 and id = ?2", caller.orgId(), id)
                            .chain(() -> groups.leaveAllGroups(caller.orgId(), id, now()))
                            .chain(() -> bindings.deleteAllOf(caller.orgId(), PrincipalKind.USER, id))
                            .replaceWithVoid();
                })));
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
        return StoreFailures.uniqueViolation(failure)
                .filter(constraint -> constraint.isEmpty() || constraint.equals(USER_NAME_INDEX))
                .<Throwable>map(constraint -> ScimFailure.of(ResourceConflictException.uniqueness("userName '" + write.userName()
                        + "' is already taken in this organization (userName is unique, case-insensitively)")))
                .orElse(failure);
    }

    private static void checkIfMatch(String ifMatch, long version) {
        try {
            Versions.checkIfMatch(ifMatch, version);
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
