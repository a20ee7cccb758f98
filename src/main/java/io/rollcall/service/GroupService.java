package io.rollcall.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
        List<MemberChange> changes = List.of(new MemberChange.Add(members(write)));
        return Transactions.runToCompletion(Panache.withTransaction(() -> lookUp(caller, changes).chain(types -> {
            GroupEntity group = new GroupEntity();
            group.id = UUID.randomUUID();
            group.orgId = caller.orgId();
            apply(group, write);
            group.createdAt = group.updatedAt;
            return groups.persist(group).chain(groups::flush)
                    .chain(() -> applyAll(caller, group.id, changes, types))
                    .map(ignored -> StoredResource.of(group));
        })));
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
    public Uni<StoredResource> replace(Principal caller, UUID id, String ifMatch, GroupWrite write) {
        return update(caller, id, ifMatch, List.of(new MemberChange.Replace(members(write))), stored -> write);
    }

    /**
     * PATCH that changes the document: {@code change} turns the stored document into the new one while the group is
     * locked; the membership deltas apply after it, in order.
     */
    public Uni<StoredResource> patch(Principal caller, UUID id, String ifMatch, List<MemberChange> changes,
            Function<String, GroupWrite> change) {
        return update(caller, id, ifMatch, changes, change);
    }

    /**
     * PATCH of membership only: the deltas apply without locking the group first, so that parallel membership changes
     * to one group do not queue behind each other; the version bump comes last and holds the group row only while
     * committing. With {@code If-Match}, the bump succeeds only if no other change came in between (else 412).
     *
     * @return the group's new version
     */
    public Uni<Long> patchMembers(Principal caller, UUID id, String ifMatch, List<MemberChange> changes) {
        return Transactions.runToCompletion(Panache.withTransaction(() -> groups.version(caller.orgId(), id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(version -> {
                    checkIfMatch(ifMatch, version);
                    Long expected = ifMatch == null ? null : version;
                    return lookUp(caller, changes)
                            .chain(types -> applyAll(caller, id, changes, types))
                            .chain(() -> groups.bumpVersion(caller.orgId(), id, expected, now()))
                            .onItem().ifNull().failWith(() -> ifMatch == null ? notFound(id) : ScimFailure.of(
                                    new PreconditionFailedException("The group changed while this request was applied; "
                                            + "read it again and retry with its current ETag")));
                })))
                .onFailure(StoreFailures::foreignKeyViolation).transform(failure -> notFound(id));
    }

    /**
     * Locks are always taken members first, then the group: the members named by the request (key share), then the
     * group row. Deletes follow the same order (the member, then the groups containing it), so no two writers wait on
     * each other in a circle.
     */
    private Uni<StoredResource> update(Principal caller, UUID id, String ifMatch, List<MemberChange> changes,
            Function<String, GroupWrite> change) {
        return Transactions.runToCompletion(Panache.withTransaction(() -> lookUp(caller, changes)
                .chain(types -> groups.findForUpdate(caller.orgId(), id)
                        .onItem().ifNull().failWith(() -> notFound(id))
                        .chain(group -> {
                            checkIfMatch(ifMatch, group.version);
                            apply(group, change.apply(group.data));
                            return applyAll(caller, id, changes, types).chain(groups::flush)
                                    .map(ignored -> StoredResource.of(group));
                        }))));
    }

    /** Deletes the group: it leaves the groups containing it (their versions go up) and its bindings go with it. */
    public Uni<Void> delete(Principal caller, UUID id, String ifMatch) {
        return Transactions.runToCompletion(Panache.withTransaction(() -> groups.findForUpdate(caller.orgId(), id)
                .onItem().ifNull().failWith(() -> notFound(id))
                .chain(group -> {
                    checkIfMatch(ifMatch, group.version);
                    // the row goes first: that waits for any membership change holding this group as a member
                    // (key share), whose new rows the statements after it then see and remove
                    return groups.delete("orgId = ?1 and id = ?2", caller.orgId(), id)
                            .chain(() -> groups.bumpContainers(caller.orgId(), id, now()))
                            .chain(() -> groups.deleteMemberships(caller.orgId(), id))
                            .chain(() -> bindings.deleteAllOf(caller.orgId(), PrincipalKind.GROUP, id))
                            .replaceWithVoid();
                })));
    }

    private Uni<Void> applyAll(Principal caller, UUID groupId, List<MemberChange> changes, Map<UUID, String> types) {
        Uni<Void> applied = Uni.createFrom().voidItem();
        for (MemberChange memberChange : changes) {
            applied = applied.chain(() -> apply(caller, groupId, memberChange, types));
        }
        return applied;
    }

    private Uni<Void> apply(Principal caller, UUID groupId, MemberChange change, Map<UUID, String> types) {
        if (change instanceof MemberChange.Remove remove) {
            return groups.removeMembers(caller.orgId(), groupId, remove.ids()).replaceWithVoid();
        }
        boolean replace = change instanceof MemberChange.Replace;
        List<MemberRef> members = refs(replace ? ((MemberChange.Replace) change).members()
                : ((MemberChange.Add) change).members(), types);
        Uni<Void> checked = noCycle(caller, groupId, members);
        if (replace) {
            checked = checked.chain(() -> groups.keepOnlyMembers(caller.orgId(), groupId,
                    members.stream().map(MemberRef::id).toList())).replaceWithVoid();
        }
        return checked.chain(() -> groups.addMembers(caller.orgId(), groupId, members)).replaceWithVoid();
    }

    /**
     * Every member the changes add must be a user or group of the organization (of the type given, if any); found ones
     * stay key-share locked until commit, so that a concurrent delete cannot leave a dangling member.
     */
    private Uni<Map<UUID, String>> lookUp(Principal caller, List<MemberChange> changes) {
        Map<UUID, MemberChange.Member> byId = new LinkedHashMap<>();
        for (MemberChange change : changes) {
            List<MemberChange.Member> named = change instanceof MemberChange.Add add ? add.members()
                    : change instanceof MemberChange.Replace replace ? replace.members() : List.of();
            named.forEach(member -> byId.putIfAbsent(member.id(), member));
        }
        if (byId.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return groups.existingPrincipals(caller.orgId(), byId.keySet()).map(found -> {
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
            }
            return found;
        });
    }

    /** Nested groups may not form a cycle; checks of one organization are serialised so that two cannot race. */
    private Uni<Void> noCycle(Principal caller, UUID groupId, List<MemberRef> members) {
        List<UUID> groupMembers = members.stream().filter(m -> m.type().equals(MemberRef.GROUP)).map(MemberRef::id).toList();
        if (groupMembers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return groups.lockNesting(caller.orgId())
                .chain(() -> groups.wouldCycle(groupId, groupMembers))
                .invoke(cycle -> {
                    if (cycle) {
                        throw ScimFailure.of(BadRequestException.invalidValue("Adding group member(s) " + groupMembers
                                + " would make group " + groupId + " contain itself; nested groups may not form a cycle"));
                    }
                })
                .replaceWithVoid();
    }

    private static List<MemberRef> refs(List<MemberChange.Member> members, Map<UUID, String> types) {
        Map<UUID, MemberRef> distinct = new LinkedHashMap<>();
        members.forEach(m -> distinct.putIfAbsent(m.id(), new MemberRef(m.id(), types.get(m.id()), null)));
        return List.copyOf(distinct.values());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static List<MemberChange.Member> members(GroupWrite write) {
        return write.members() == null ? List.of() : write.members();
    }

    private static void apply(GroupEntity group, GroupWrite write) {
        group.displayName = write.displayName();
        group.externalId = write.externalId();
        group.data = write.data();
        group.updatedAt = now();
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
