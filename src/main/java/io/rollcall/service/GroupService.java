package io.rollcall.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.Principal;
import io.rollcall.observability.RequestMetrics;
import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.ResourceQuery;
import io.rollcall.store.GroupEntity;
import io.rollcall.store.GroupRepository;
import io.rollcall.store.GroupVersionCounters;
import io.rollcall.resource.Ids;
import io.rollcall.store.AuditRecord;
import io.rollcall.store.GroupMemberWrites;
import io.rollcall.store.GroupMember;
import io.rollcall.store.Page;
import io.rollcall.store.ResourceReads;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.rollcall.store.RoleBindingRepository;
import io.rollcall.store.ScimTables;
import io.rollcall.store.Snapshots;
import io.rollcall.store.StoredResource;
import io.rollcall.store.UserRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * SCIM Groups of the caller's organization. Membership-only PATCHes change the member rows and count one change on the
 * group's version counters ({@link GroupVersionCounters}) without locking the group row, so concurrent ones to one group all
 * apply, in parallel; writes that replace the document, or carry If-Match, lock the row. Members must be users or
 * groups of the same organization; a group may not end up containing itself, directly or through nested groups.
 * <p>
 * Lock order, everywhere: the organization's membership lock (shared to add members, exclusive to delete a user or
 * group), then the group row, then membership rows, then the nesting lock, then version counter rows; each of the last
 * two is taken after every membership row a transaction changes, so no two writers wait on each other in a circle.
 */
@ApplicationScoped
public class GroupService {

    /** A group's role bindings, read with it (its access extension). */
    private static final String ROLES = "json_build_object('roles', " + UserRepository.rolesArray("g", "group") + ")::text";

    /** {@link #ROLES} of a group without role bindings. */
    private static final String NO_ROLES = "{\"roles\": null}";

    private final GroupRepository groups;
    private final GroupVersionCounters versions;
    private final ResourceReads reads;
    private final RoleBindingRepository bindings;
    private final GroupRoleEffects roleEffects;
    private final RoleAssignments assignments;
    private final GroupMemberWrites deltas;
    private final Pool pool;
    private final RequestMetrics metrics;
    private final ChangeLog changeLog;

    public GroupService(GroupRepository groups, GroupVersionCounters versions, ResourceReads reads,
            RoleBindingRepository bindings, GroupRoleEffects roleEffects, RoleAssignments assignments,
            GroupMemberWrites deltas, Pool pool, RequestMetrics metrics, ChangeLog changeLog) {
        this.changeLog = changeLog;
        this.deltas = deltas;
        this.pool = pool;
        this.metrics = metrics;
        this.roleEffects = roleEffects;
        this.assignments = assignments;
        this.groups = groups;
        this.versions = versions;
        this.reads = reads;
        this.bindings = bindings;
    }

    public Uni<StoredResource> create(Principal caller, GroupWrite write) {
        List<GroupMemberChange> changes = List.of(new GroupMemberChange.Add(members(write), null));
        AuditedChange audited = AuditedChange.create(caller, "Group", "group");
        return changeLog.run(audited, () -> lockForAdds(caller, changes).chain(() -> {
            GroupEntity group = new GroupEntity();
            group.id = Ids.timeOrdered();
            group.orgId = caller.orgId();
            apply(group, write);
            group.createdAt = group.updatedAt;
            GroupChanges.recordCreate(audited, group.id, write);
            return groups.persist(group).chain(groups::flush)
                    .chain(() -> applyAll(caller, group.id, changes))
                    .chain(() -> bindRoles(caller, group.id, write))
                    // a new group holds only the roles the write gave it: none to read when it named none
                    .chain(() -> write.roles() == null
                            ? Uni.createFrom().item(StoredResource.of(group).withRelated(NO_ROLES))
                            : withRoles(caller, StoredResource.of(group)));
        }));
    }

    /**
     * The written group with its role bindings as they stand in the write's transaction, so that the response shows
     * its access extension exactly as a read does.
     */
    private Uni<StoredResource> withRoles(Principal caller, StoredResource stored) {
        return bindings.groupRolesJson(caller.orgId(), stored.id()).map(stored::withRelated);
    }

    public Uni<StoredResource> get(Principal caller, UUID id) {
        return reads.findById(ScimTables.GROUPS, caller.orgId(), id, ROLES).onItem().ifNull().failWith(() -> notFound(id));
    }

    /**
     * The group and its members as of one moment ({@link GroupSnapshot}); 404 when the organization has no such group.
     * Reading them in separate statements let a read during membership PATCHes show members its version did not count.
     */
    public Uni<GroupSnapshot> snapshot(Principal caller, UUID id) {
        return pool.getConnection().chain(connection -> {
            Supplier<Uni<Void>> end = Snapshots.ender(connection);
            return Snapshots.begin(connection)
                    .chain(() -> reads.findById(connection, ScimTables.GROUPS, caller.orgId(), id, ROLES))
                    .onFailure().call(failure -> end.get())
                    .chain(group -> group == null
                            ? end.get().chain(() -> Uni.createFrom().failure(notFound(id)))
                            : Uni.createFrom().item(new GroupSnapshot(group,
                                    groups.memberBatches(connection, caller.orgId(), id), end)));
        });
    }

    /** Every member, in id order, in batches read as they are requested (see {@link GroupRepository#memberBatches}). */
    public Multi<List<GroupMember>> memberBatches(Principal caller, UUID id) {
        return groups.memberBatches(caller.orgId(), id);
    }

    /** @param attributes how the query's attribute paths resolve (the Group schemas) */
    public Uni<Page<StoredResource>> search(Principal caller, AttributeResolver attributes, ResourceQuery query) {
        return reads.search(ScimTables.GROUPS, caller.orgId(), attributes, query, ROLES);
    }

    /** The groups with these ids that exist, in the order of {@code ids}. */
    public Uni<List<StoredResource>> byIds(Principal caller, List<UUID> ids) {
        return reads.byIds(ScimTables.GROUPS, caller.orgId(), ids, ROLES);
    }

    /**
     * PUT: the document and the whole member list are replaced (members left out are removed, RFC 7644 §3.5.1).
     *
     * @param checked {@code write} once checked against the stored document while the group is locked (it throws to
     *                refuse the write, e.g. for a changed immutable attribute)
     */
    public Uni<StoredResource> replace(Principal caller, UUID id, String ifMatch, GroupWrite write,
            Function<String, GroupWrite> checked) {
        return update(caller, "replace", id, ifMatch, List.of(new GroupMemberChange.Replace(members(write), null)),
                checked, () -> bindRoles(caller, id, write));
    }

    /** The group's scim role bindings become the write's roles, when it names any (IdPs' PUTs don't). */
    private Uni<Void> bindRoles(Principal caller, UUID groupId, GroupWrite write) {
        if (write.roles() == null) {
            return Uni.createFrom().voidItem();
        }
        return assignments.resolve(caller.orgId(), write.roles(), "urn:rollcall:scim:schemas:extension:access:2.0:Group:roles")
                .chain(targets -> assignments.replace(caller, RoleAssignments.Channel.SCIM, PrincipalKind.GROUP, groupId,
                        targets))
                .replaceWithVoid();
    }

    /**
     * PATCH that changes the document: {@code change} turns the stored document into the new one while the group is
     * locked; the membership deltas apply after it, in order.
     */
    public Uni<StoredResource> patch(Principal caller, UUID id, String ifMatch, List<GroupMemberChange> changes,
            Function<String, GroupWrite> change) {
        observe(changes);
        return update(caller, "patch", id, ifMatch, changes, change, () -> Uni.createFrom().voidItem());
    }

    /**
     * PATCH of membership only: the deltas apply, then one change is counted on a version counter of the group, so
     * that parallel membership changes to one group neither queue on its row nor lose a count. With {@code If-Match}
     * the group row is locked first, and the version is compared once the deltas are in (see {@link GroupVersionCounters}).
     * The shapes identity providers send most go as a single statement when they can ({@link #singleDelta}).
     *
     * @return the group's new version
     */
    public Uni<Long> patchMembers(Principal caller, UUID id, String ifMatch, List<GroupMemberChange> changes) {
        observe(changes);
        AuditedChange audited = AuditedChange.of(caller, "Group", "group", "patch", id).status(204).attribute("members");
        return singleDelta(caller, id, ifMatch, changes, audited).chain(outcome -> {
            if (outcome != null && !outcome.groupFound()) {
                return changeLog.recordingRefusals(audited, Uni.createFrom().<Long>failure(notFound(id)));
            }
            return outcome != null && outcome.applied() ? Uni.createFrom().item(outcome.version())
                    : patchMembersStepByStep(caller, id, ifMatch, changes, audited);
        }).onFailure(StoreFailures::rowGone).transform(failure -> notFound(id)); // deleted meanwhile
    }

    /** The size of each membership operation a PATCH sends, as identity providers batch them (metrics). */
    private void observe(List<GroupMemberChange> changes) {
        for (GroupMemberChange change : changes) {
            if (change instanceof GroupMemberChange.Add add) {
                metrics.membershipDelta("add", add.members().size());
            } else if (change instanceof GroupMemberChange.Remove remove) {
                metrics.membershipDelta("remove", remove.ids().size());
            } else if (change instanceof GroupMemberChange.Replace replace) {
                metrics.membershipDelta("replace", replace.members().size());
            }
        }
    }

    /**
     * The common membership PATCH — one {@code add} of users or one {@code remove}, without If-Match — as one statement
     * ({@link GroupMemberWrites}); null when the request is of another shape. The outcome says whether it applied: a group
     * that grants roles, a group among the members or an id that is no member at all leave it to the general path.
     */
    private Uni<GroupMemberWrites.Outcome> singleDelta(Principal caller, UUID id, String ifMatch, List<GroupMemberChange> changes,
            AuditedChange audited) {
        GroupMemberChange change = changes.size() == 1 && ifMatch == null ? changes.get(0) : null;
        if (change instanceof GroupMemberChange.Add add && !add.members().isEmpty() && add.members().stream()
                .allMatch(member -> member.type() == null || member.type().equalsIgnoreCase(GroupMember.USER))) {
            List<UUID> ids = ids(add.members());
            AuditRecord row = changeLog.row(audited, "success", 204);
            return Transactions.runToCompletion(ids.size() <= GroupMemberWrites.ROW_LOCKED_ADD_MAX
                    ? deltas.addUsers(caller.orgId(), id, ids, now(), row)
                    : pool.withTransaction(connection -> deltas.addUsersUnderMembershipLock(connection, caller.orgId(),
                            id, ids, now(), row)));
        }
        if (change instanceof GroupMemberChange.Remove remove && !remove.ids().isEmpty()) {
            return Transactions.runToCompletion(deltas.remove(caller.orgId(), id, remove.ids(), now(),
                    changeLog.row(audited, "success", 204)));
        }
        return Uni.createFrom().nullItem();
    }

    private Uni<Long> patchMembersStepByStep(Principal caller, UUID id, String ifMatch, List<GroupMemberChange> changes,
            AuditedChange audited) {
        return changeLog.run(audited, () -> lockForAdds(caller, changes)
                .invoke(() -> GroupChanges.recordMembers(audited, id, changes))
                .chain(() -> roleEffects.around(caller, id, removes(changes), adding(changes), () -> (ifMatch == null
                        ? groups.lockKeyShare(caller.orgId(), id) // see delete
                        : groups.findForUpdate(caller.orgId(), id).onItem().ifNull().failWith(() -> notFound(id))
                                .chain(group -> checkCurrentVersion(ifMatch, group)))
                        .chain(() -> applyAll(caller, id, changes))
                        .chain(() -> versions.bump(caller.orgId(), id, now()))
                        .onItem().ifNull().failWith(() -> notFound(id))
                        .invoke(version -> checkIfMatch(ifMatch, version - 1)))));
    }

    /**
     * Replaces or patches the document while the group row is locked; with If-Match, the version is compared before
     * anything changes and again once the deltas are in (see {@link GroupVersionCounters}).
     */
    private Uni<StoredResource> update(Principal caller, String verb, UUID id, String ifMatch,
            List<GroupMemberChange> changes, Function<String, GroupWrite> change,
            java.util.function.Supplier<Uni<Void>> roles) {
        AuditedChange audited = AuditedChange.of(caller, "Group", "group", verb, id);
        return changeLog.run(audited, () -> lockForAdds(caller, changes)
                .chain(() -> roleEffects.around(caller, id, removes(changes), adding(changes), () -> groups.findForUpdate(caller.orgId(), id)
                        .onItem().ifNull().failWith(() -> notFound(id))
                        .call(group -> checkCurrentVersion(ifMatch, group))
                        .chain(group -> {
                            long rowVersion = group.version;
                            GroupWrite written = change.apply(group.data);
                            GroupChanges.recordDocument(audited, id, group.data, written);
                            GroupChanges.recordMembers(audited, id, changes);
                            apply(group, written);
                            return applyAll(caller, id, changes)
                                    .chain(() -> roles.get())
                                    .chain(() -> versions.membership(id))
                                    .invoke(membership -> checkIfMatch(ifMatch, rowVersion + membership.changes()))
                                    .call(groups::flush)
                                    .chain(membership -> withRoles(caller, membership.of(group)));
                        }))));
    }

    /**
     * Deletes the group: its members and the groups containing it lose it (their versions go up), and its bindings go
     * with it.
     */
    public Uni<Void> delete(Principal caller, UUID id, String ifMatch) {
        AuditedChange audited = AuditedChange.delete(caller, "Group", "group", id);
        return changeLog.run(audited, () -> groups.lockMembershipsExclusive(caller.orgId())
                .invoke(() -> audited.event("group.deleted", "Group", id, "{}"))
                // the row FOR UPDATE before any membership goes: the one-statement deltas and the step-by-step ones
                // lock it FOR KEY SHARE first, so they wait for this delete or it for them, never each for the other;
                // taken where the other group writers lock it, after the users and owners roleEffects locks
                .chain(() -> roleEffects.around(caller, id, true, List.of(), () -> groups.lockForDelete(caller.orgId(), id)
                        .chain(() -> groups.findForUpdate(caller.orgId(), id))
                        .onItem().ifNull().failWith(() -> notFound(id))
                        .call(group -> checkCurrentVersion(ifMatch, group))
                        .chain(group -> groups.keepOnlyMembers(caller.orgId(), id, List.of())
                                .chain(() -> groups.leaveAllGroups(caller.orgId(), id, now()))
                                .chain(() -> bindings.deleteAllOf(caller.orgId(), PrincipalKind.GROUP, id))
                                .chain(() -> checkCurrentVersion(ifMatch, group))
                                .chain(() -> groups.delete("orgId = ?1 and id = ?2", caller.orgId(), id))
                                .replaceWithVoid()))));
    }

    /** With If-Match: the group's version as it stands, counted from its row (locked by the caller) and counters. */
    private Uni<Void> checkCurrentVersion(String ifMatch, GroupEntity group) {
        if (ifMatch == null) {
            return Uni.createFrom().voidItem();
        }
        long rowVersion = group.version;
        return versions.membership(group.id)
                .invoke(membership -> checkIfMatch(ifMatch, rowVersion + membership.changes()))
                .replaceWithVoid();
    }

    /** The ids the changes add (or keep, for a replace): their users' roles may change with the group's. */
    private static List<UUID> adding(List<GroupMemberChange> changes) {
        List<UUID> ids = new ArrayList<>();
        for (GroupMemberChange change : changes) {
            if (change instanceof GroupMemberChange.Add add) {
                ids.addAll(ids(add.members()));
            } else if (change instanceof GroupMemberChange.Replace replace) {
                ids.addAll(ids(replace.members()));
            }
        }
        return ids;
    }

    private static boolean removes(List<GroupMemberChange> changes) {
        return changes.stream().anyMatch(change -> !(change instanceof GroupMemberChange.Add));
    }

    /**
     * Step-by-step transactions that may add members hold the organization's membership lock (shared) from the start
     * (see {@link GroupRepository#lockMembershipsShared}).
     */
    private Uni<Void> lockForAdds(Principal caller, List<GroupMemberChange> changes) {
        boolean adds = changes.stream().anyMatch(change -> change instanceof GroupMemberChange.Add add
                ? !add.members().isEmpty() : change instanceof GroupMemberChange.Replace replace && !replace.members().isEmpty());
        return adds ? groups.lockMembershipsShared(caller.orgId()) : Uni.createFrom().voidItem();
    }

    /**
     * Applies the deltas in order; then, if any added a group, checks that no cycle formed. The check comes after every
     * membership row is written, so that the nesting lock it takes is never held while waiting for one.
     */
    private Uni<Void> applyAll(Principal caller, UUID groupId, List<GroupMemberChange> changes) {
        List<GroupsAdded> addedGroups = new ArrayList<>();
        Uni<Void> applied = Uni.createFrom().voidItem();
        for (GroupMemberChange memberChange : changes) {
            applied = applied.chain(() -> apply(caller, groupId, memberChange, addedGroups));
        }
        return applied.chain(() -> noCycle(caller, groupId, addedGroups));
    }

    /** The groups a change added as members. */
    private record GroupsAdded(GroupMemberChange change, Set<UUID> ids) {
    }

    private Uni<Void> apply(Principal caller, UUID groupId, GroupMemberChange change, List<GroupsAdded> addedGroups) {
        if (change instanceof GroupMemberChange.Remove remove) {
            return groups.removeMembers(caller.orgId(), groupId, remove.ids()).replaceWithVoid();
        }
        boolean replace = change instanceof GroupMemberChange.Replace;
        List<GroupMemberChange.Member> members = replace ? ((GroupMemberChange.Replace) change).members()
                : ((GroupMemberChange.Add) change).members();
        Uni<Void> kept = !replace ? Uni.createFrom().voidItem()
                : groups.keepOnlyMembers(caller.orgId(), groupId, ids(members)).replaceWithVoid();
        return kept.chain(() -> groups.addMembers(caller.orgId(), groupId, ids(members)))
                .invoke(added -> {
                    if (!added.groupFound()) {
                        throw notFound(groupId);
                    }
                    checkMembers(change, members, added.types());
                    Set<UUID> groupMembers = new LinkedHashSet<>();
                    added.types().forEach((memberId, type) -> {
                        if (type.equals(GroupMember.GROUP)) {
                            groupMembers.add(memberId);
                        }
                    });
                    if (!groupMembers.isEmpty()) {
                        addedGroups.add(new GroupsAdded(change, groupMembers));
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Every member a change adds must be a user or group of the organization (of the type given, if any); the first
     * that is not fails the request, and the transaction with it.
     */
    private static void checkMembers(GroupMemberChange change, List<GroupMemberChange.Member> members, Map<UUID, String> found) {
        for (GroupMemberChange.Member member : members) {
            String type = found.get(member.id());
            if (type == null) {
                throw ScimFailure.of(BadRequestException.invalidValue(change.detail("Member '" + member.id()
                        + "' is not a user or group of this organization")));
            }
            if (member.type() != null && !member.type().equalsIgnoreCase(type)) {
                throw ScimFailure.of(BadRequestException.invalidValue(change.detail("Member '" + member.id() + "' is a "
                        + type + ", not a " + member.type())));
            }
        }
    }

    /**
     * Nested groups may not form a cycle; checks of one organization are serialised so that two cannot race. One query
     * checks every added group; only when it finds a cycle are the changes checked one by one, to name the one at fault
     * (whether a group closes a cycle does not depend on the other groups added to this one).
     */
    private Uni<Void> noCycle(Principal caller, UUID groupId, List<GroupsAdded> added) {
        if (added.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<UUID> all = new LinkedHashSet<>();
        added.forEach(groupsAdded -> all.addAll(groupsAdded.ids()));
        return groups.lockNesting(caller.orgId())
                .chain(() -> groups.wouldCycle(groupId, all))
                .chain(cycle -> cycle ? failOnFirstCycle(groupId, added, 0) : Uni.createFrom().voidItem());
    }

    private Uni<Void> failOnFirstCycle(UUID groupId, List<GroupsAdded> added, int index) {
        GroupsAdded candidate = added.get(index);
        boolean last = index == added.size() - 1;
        return (last ? Uni.createFrom().item(true) : groups.wouldCycle(groupId, candidate.ids())).chain(cycle -> {
            if (cycle) {
                throw ScimFailure.of(BadRequestException.invalidValue(candidate.change().detail("Adding group member(s) "
                        + candidate.ids() + " would make group " + groupId + " contain itself; nested groups may not "
                        + "form a cycle")));
            }
            return failOnFirstCycle(groupId, added, index + 1);
        });
    }

    private static List<UUID> ids(List<GroupMemberChange.Member> members) {
        return members.stream().map(GroupMemberChange.Member::id).distinct().toList();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static List<GroupMemberChange.Member> members(GroupWrite write) {
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
            ETags.checkIfMatch(ifMatch, version);
        } catch (ScimException e) {
            throw ScimFailure.of(e);
        }
    }

    private static ScimFailure notFound(UUID id) {
        return ScimFailure.of(new ResourceNotFoundException("No group " + id + " in this organization"));
    }
}
