package io.rollcall.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.PreconditionFailedException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.Principal;
import io.rollcall.store.GroupEntity;
import io.rollcall.store.GroupRepository;
import io.rollcall.store.MemberRef;
import io.rollcall.store.Page;
import io.rollcall.store.ResourceReads;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.ScimTables;
import io.rollcall.store.StoredResource;
import io.rollcall.store.query.SqlFragment;
import io.smallrye.mutiny.Uni;

/**
 * SCIM Groups of the caller's organization. Every write locks the group row for its transaction, so concurrent
 * membership changes to one group all apply, in some order, and the version counts each of them. Members must be users
 * or groups of the same organization; a group may not end up containing itself, directly or through nested groups.
 */
@ApplicationScoped
public class GroupService {

    private final GroupRepository groups;
    private final ResourceReads reads;
    private final RoleBindingRepository bindings;

    public GroupService(GroupRepository groups, ResourceReads reads, RoleBindingRepository bindings) {
        this.groups = groups;
        this.reads = reads;
        this.bindings = bindings;
    }

    public Uni<StoredResource> create(Principal caller, GroupWrite write) {
        return Panache.withTransaction(() -> {
            GroupEntity group = new GroupEntity();
            group.id = UUID.randomUUID();
            group.orgId = caller.orgId();
            apply(group, write);
            group.createdAt = group.updatedAt;
            return groups.persist(group).chain(groups::flush)
                    .chain(() -> change(caller, group.id, new MemberChange.Add(members(write))))
                    .map(ignored -> StoredResource.of(group));
        });
    }

    public Uni<StoredResource> get(Principal caller, UUID id) {
        return reads.findById(ScimTables.GROUPS, caller.orgId(), id, null).onItem().ifNull().failWith(() -> notFound(id));
    }

    public Uni<List<MemberRef>> members(Principal caller, UUID id) {
        return groups.members(caller.orgId(), id);
    }

    /** @param filter null for every group; its parameters start at $2 */
    public Uni<Page<StoredResource>> search(Principal caller, SqlFragment filter, String orderBy, int offset, int limit) {
        return reads.search(ScimTables.GROUPS, caller.orgId(), filter, orderBy, offset, limit, null);
    }

    /** PUT: the document and the whole member list are replaced (members left out are removed, RFC 7644 §3.5.1). */
    public Uni<StoredResource> replace(Principal caller, UUID id, String ifMatch, Function<String, GroupWrite> change) {
        return update(caller, id, ifMatch, stored -> {
            GroupWrite write = change.apply(stored);
            return new Update(write, List.of(new MemberChange.Replace(members(write))));
        });
    }

    /**
     * PATCH: {@code change} gives the new document (from the stored one) and the membership deltas, applied in order.
     */
    public Uni<StoredResource> patch(Principal caller, UUID id, String ifMatch,
            Function<String, Update> change) {
        return update(caller, id, ifMatch, change);
    }

    /**
     * PATCH of membership only: the deltas apply without locking the group first, so that parallel membership changes
     * to one group do not queue behind each other; the version bump comes last and holds the group row only while
     * committing. With {@code If-Match}, the bump succeeds only if no other change came in between (else 412).
     *
     * @return the group's new version
     */
    public Uni<Long> patchMembers(Principal caller, UUID id, String ifMatch, List<MemberChange> changes) {
        return Panache.withTransaction(() -> groups.version(caller.orgId(), id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(version -> {
                    checkIfMatch(ifMatch, version);
                    Uni<Void> applied = Uni.createFrom().voidItem();
                    for (MemberChange memberChange : changes) {
                        applied = applied.chain(() -> change(caller, id, memberChange));
                    }
                    Long expected = ifMatch == null ? null : version;
                    return applied.chain(() -> groups.bumpVersion(caller.orgId(), id, expected,
                            Instant.now().truncatedTo(ChronoUnit.MICROS)))
                            .onItem().ifNull().failWith(() -> ifMatch == null ? notFound(id) : ScimFailure.of(
                                    new PreconditionFailedException("The group changed while this request was applied; "
                                            + "read it again and retry with its current ETag")));
                }))
                .onFailure(failure -> StoreFailures.foreignKeyViolation(failure)).transform(failure -> notFound(id));
    }

    /** A group change: the document to store and the membership deltas to apply. */
    public record Update(GroupWrite write, List<MemberChange> memberChanges) {
    }

    private Uni<StoredResource> update(Principal caller, UUID id, String ifMatch, Function<String, Update> change) {
        return Panache.withTransaction(() -> groups.findForUpdate(caller.orgId(), id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(group -> {
                    checkIfMatch(ifMatch, group.version);
                    Update update = change.apply(group.data);
                    apply(group, update.write());
                    Uni<Void> applied = Uni.createFrom().voidItem();
                    for (MemberChange memberChange : update.memberChanges()) {
                        applied = applied.chain(() -> change(caller, id, memberChange));
                    }
                    return applied.chain(groups::flush).map(ignored -> StoredResource.of(group));
                }));
    }

    public Uni<Void> delete(Principal caller, UUID id, String ifMatch) {
        return Panache.withTransaction(() -> groups.findForUpdate(caller.orgId(), id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(group -> {
                    checkIfMatch(ifMatch, group.version);
                    return groups.deleteMemberships(caller.orgId(), id)
                            .chain(() -> bindings.deleteAllOf(caller.orgId(), PrincipalKind.GROUP, id))
                            .chain(() -> groups.delete(group));
                }));
    }

    private Uni<Void> change(Principal caller, UUID groupId, MemberChange change) {
        if (change instanceof MemberChange.Add add) {
            return resolve(caller, groupId, add.members())
                    .chain(resolved -> groups.addMembers(caller.orgId(), groupId, resolved)).replaceWithVoid();
        }
        if (change instanceof MemberChange.Remove remove) {
            return groups.removeMembers(caller.orgId(), groupId, remove.ids()).replaceWithVoid();
        }
        MemberChange.Replace replace = (MemberChange.Replace) change;
        return resolve(caller, groupId, replace.members())
                .chain(resolved -> groups.keepOnlyMembers(caller.orgId(), groupId,
                        resolved.stream().map(MemberRef::id).toList())
                        .chain(() -> groups.addMembers(caller.orgId(), groupId, resolved)))
                .replaceWithVoid();
    }

    /**
     * Checks that every member is a user or group of the organization (of the type given, if any) and that no group
     * member would make the group contain itself.
     */
    private Uni<List<MemberRef>> resolve(Principal caller, UUID groupId, List<MemberChange.Member> requested) {
        if (requested.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Map<UUID, MemberChange.Member> byId = new LinkedHashMap<>();
        requested.forEach(member -> byId.putIfAbsent(member.id(), member));
        return groups.existingPrincipals(caller.orgId(), byId.keySet()).chain(found -> {
            List<MemberRef> resolved = new ArrayList<>();
            List<UUID> groupMembers = new ArrayList<>();
            for (MemberChange.Member member : byId.values()) {
                String type = found.get(member.id());
                if (type == null) {
                    throw ScimFailure.of(BadRequestException.invalidValue("Member '" + member.id() + "' is not a user or "
                            + "group of this organization"));
                }
                if (member.type() != null && !member.type().equalsIgnoreCase(type)) {
                    throw ScimFailure.of(BadRequestException.invalidValue("Member '" + member.id() + "' is a " + type
                            + ", not a " + member.type()));
                }
                resolved.add(new MemberRef(member.id(), type, null));
                if (type.equals(MemberRef.GROUP)) {
                    groupMembers.add(member.id());
                }
            }
            return groups.wouldCycle(groupId, groupMembers).map(cycle -> {
                if (cycle) {
                    throw ScimFailure.of(BadRequestException.invalidValue("Adding group member(s) " + groupMembers
                            + " would make group " + groupId + " contain itself; nested groups may not form a cycle"));
                }
                return resolved;
            });
        });
    }

    private static List<MemberChange.Member> members(GroupWrite write) {
        return write.members() == null ? List.of() : write.members();
    }

    private static void apply(GroupEntity group, GroupWrite write) {
        group.displayName = write.displayName();
        group.externalId = write.externalId();
        group.data = write.data();
        group.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static void checkIfMatch(String ifMatch, long version) {
        try {
            Versions.checkIfMatch(ifMatch, version);
        } catch (ScimException e) {
            throw ScimFailure.of(e);
        }
    }

    private static ScimFailure notFound(UUID id) {
        return ScimFailure.of(new ResourceNotFoundException("No group " + id + " in this organization"));
    }
}
