package io.rollcall.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Groups and their membership. Membership changes are deltas on {@code group_members} — insert what is new
 * ({@code ON CONFLICT DO NOTHING}), delete what goes — so adding or removing one member costs the same for a group of
 * 10 or 100,000 members, and the member list is never read to change it. Member lists travel to PostgreSQL as one
 * JSON parameter. Adds check that the members exist in the same statement, without locking them: the organization's
 * membership lock ({@link #lockMembershipsShared}) keeps deletes out meanwhile (the one-statement adds of few users
 * lock those users instead, {@link GroupMemberWrites}).
 */
@ApplicationScoped
public class GroupRepository implements PanacheRepositoryBase<GroupEntity, UUID> {

    /** One batch of a group's members, in id order, after the id given ($3); at most $4. */
    private static final String MEMBERS_AFTER = """
            SELECT gm.member_id, gm.member_type, COALESCE(u.display_name, u.user_name, g.display_name) AS display
              FROM group_members gm
              LEFT JOIN users u ON gm.member_type = 'User' AND u.id = gm.member_id
              LEFT JOIN groups g ON gm.member_type = 'Group' AND g.id = gm.member_id
             WHERE gm.org_id = $1 AND gm.group_id = $2 AND gm.member_id > $3
             ORDER BY gm.member_id
             LIMIT $4
            """;

    /** Members read per statement: a group of 100,000 is read in batches, never held as one result in memory. */
    static final int MEMBER_BATCH = 5_000;

    private static final UUID BEFORE_ALL = new UUID(0, 0);

    /**
     * Adds the listed ids that are users or groups of the organization to the group, if the organization has it; answers
     * every id found with its type, and whether the group was found (one row even when nothing was). Membership adds
     * hold {@link #lockMembershipsShared} from before this statement, so a user or group it finds cannot be deleted
     * before the new rows commit. The ids are probed through the primary keys as an array: joined as a set function
     * instead, a generic plan (estimating 100 ids) may hash-join a scan of every user of the organization.
     */
    private static final String ADD_MEMBERS = """
            WITH target AS (
                SELECT g.id FROM groups g WHERE g.id = :group AND g.org_id = :org
            ), found AS (
                SELECT u.id, 'User' AS type FROM users u
                 WHERE u.id = ANY (ARRAY(SELECT CAST(value AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb))))
                   AND u.org_id = :org
                UNION ALL
                SELECT g.id, 'Group' FROM groups g
                 WHERE g.id = ANY (ARRAY(SELECT CAST(value AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb))))
                   AND g.org_id = :org
            ), added AS (
                INSERT INTO group_members (group_id, member_id, member_type, org_id)
                SELECT t.id, f.id, f.type, :org FROM target t, found f
                ON CONFLICT (group_id, member_id) DO NOTHING
            )
            SELECT CAST(f.id AS text), f.type, (SELECT count(*) FROM target) FROM (SELECT 1) AS one LEFT JOIN found f ON true
            """;

    /**
     * Removes a user or group from every group it is in, and counts the change on each of them (one counter row each,
     * in group id order; the deletes come first, so that this never holds a counter while waiting for a membership row).
     */
    private static final String LEAVE_ALL_GROUPS = """
            WITH gone AS (
                DELETE FROM group_members WHERE org_id = :org AND member_id = :member RETURNING group_id
            )
            %s""".formatted(GroupVersionCounters.countChange("g.id", ":now",
            "FROM groups g WHERE g.id IN (SELECT group_id FROM gone) ORDER BY g.id"));

    /** {@link #lockMembershipsShared} as a statement on the reactive pool ($1: the organization id as text). */
    static final String MEMBERSHIPS_SHARED_LOCK =
            lockStatement("pg_advisory_xact_lock_shared", AdvisoryLocks.MEMBERSHIPS, "$1");

    private static final String LOCK_FOR_DELETE = "SELECT 1 FROM groups WHERE org_id = :org AND id = :group FOR UPDATE";
    private static final String LOCK_KEY_SHARE =
            "SELECT 1 FROM groups WHERE org_id = :org AND id = :group FOR KEY SHARE";

    private static final String REMOVE_MEMBERS = """
            DELETE FROM group_members
             WHERE group_id = :group AND org_id = :org
               AND member_id IN (SELECT CAST(value AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)))
            """;

    private static final String KEEP_ONLY_MEMBERS = """
            DELETE FROM group_members
             WHERE group_id = :group AND org_id = :org
               AND member_id NOT IN (SELECT CAST(value AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)))
            """;

    /** Does any of the candidate groups (or a group nested in one) contain the target group, or is it the target? */
    private static final String WOULD_CYCLE = """
            WITH RECURSIVE reach(id) AS (
                SELECT CAST(value AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb))
                UNION
                SELECT gm.member_id FROM group_members gm JOIN reach r ON gm.group_id = r.id
                 WHERE gm.member_type = 'Group'
            )
            SELECT count(*) FROM reach WHERE id = :group
            """;

    private final Pool pool;

    public GroupRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * The group, locked until the transaction ends, so that document writes (and writes with If-Match) to it apply one
     * after another. Membership-only writes without If-Match never take this lock. Hibernate locks it
     * {@code FOR NO KEY UPDATE}, which leaves the key-share lock of a foreign-key check free: adding a first version
     * counter row for the group does not wait for it.
     */
    public Uni<GroupEntity> findForUpdate(UUID orgId, UUID id) {
        return find("orgId = ?1 and id = ?2", orgId, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Before deleting the group: its row locked {@code FOR UPDATE}, the one lock that the {@code FOR KEY SHARE} of
     * membership writers ({@link #lockKeyShare}, {@link GroupMemberWrites}) waits for, taken before the delete removes
     * anything.
     */
    public Uni<Void> lockForDelete(UUID orgId, UUID id) {
        return lockRow(LOCK_FOR_DELETE, orgId, id);
    }

    /**
     * Before changing the group's membership without holding its row otherwise: the row locked {@code FOR KEY SHARE},
     * which only a delete of the group waits for (and waits for it), so that the change and the group's delete apply
     * one after the other instead of each waiting for membership rows the other holds.
     */
    public Uni<Void> lockKeyShare(UUID orgId, UUID id) {
        return lockRow(LOCK_KEY_SHARE, orgId, id);
    }

    private Uni<Void> lockRow(String sql, UUID orgId, UUID id) {
        return getSession().chain(session -> session.createNativeQuery(sql, Integer.class)
                .setParameter("org", orgId).setParameter("group", id).getResultList())
                .replaceWithVoid();
    }

    /** Every member with its display name, ordered by id. */
    public Uni<List<GroupMember>> members(UUID orgId, UUID groupId) {
        return memberBatches(orgId, groupId).collect().in(ArrayList::new, List::addAll);
    }

    /**
     * Every member of the group with its display name, in id order, in batches of {@link #MEMBER_BATCH}: each batch is
     * one statement, run when the subscriber asks for it, so what the subscriber keeps is all that stays in memory. The
     * last batch is the first one with fewer than {@link #MEMBER_BATCH} members (possibly none).
     */
    public Multi<List<GroupMember>> memberBatches(UUID orgId, UUID groupId) {
        return memberBatches(pool, orgId, groupId);
    }

    /** {@link #memberBatches(UUID, UUID)} read on the client given, e.g. a connection in a snapshot transaction. */
    public Multi<List<GroupMember>> memberBatches(SqlClient client, UUID orgId, UUID groupId) {
        return Multi.createBy().repeating()
                .uni(() -> new UUID[] { BEFORE_ALL }, after -> membersAfter(client, orgId, groupId, after[0]).invoke(batch -> {
                    if (!batch.isEmpty()) {
                        after[0] = batch.get(batch.size() - 1).id();
                    }
                }))
                .whilst(batch -> batch.size() == MEMBER_BATCH);
    }

    private static Uni<List<GroupMember>> membersAfter(SqlClient client, UUID orgId, UUID groupId, UUID after) {
        return client.preparedQuery(MEMBERS_AFTER).execute(Tuple.of(orgId, groupId, after, (long) MEMBER_BATCH)).map(rows -> {
            List<GroupMember> batch = new ArrayList<>(rows.size());
            for (Row row : rows) {
                batch.add(new GroupMember(row.getUUID(0), row.getString(1), row.getString(2)));
            }
            return batch;
        });
    }

    /**
     * Serialises, per organization, the transactions that nest groups, so that two concurrent additions cannot both pass
     * the cycle check and together form a cycle. Held until the transaction ends.
     */
    public Uni<Void> lockNesting(UUID orgId) {
        return advisoryLock("pg_advisory_xact_lock", AdvisoryLocks.GROUP_NESTING, orgId);
    }

    /**
     * Held by every transaction that adds members, from before it checks that they exist until it commits; shared, so
     * that adds run in parallel. User and group deletes take {@link #lockMembershipsExclusive} first: they wait for
     * the adds in flight (and then delete the rows those added), and adds that start later wait for them (and then no
     * longer find what was deleted). Taken before any row lock, so that no one waits for it while holding one. The
     * one-statement adds of at most {@link GroupMemberWrites#ROW_LOCKED_ADD_MAX} users lock those users instead.
     */
    public Uni<Void> lockMembershipsShared(UUID orgId) {
        return advisoryLock("pg_advisory_xact_lock_shared", AdvisoryLocks.MEMBERSHIPS, orgId);
    }

    /** Before deleting a user or group: see {@link #lockMembershipsShared}. */
    public Uni<Void> lockMembershipsExclusive(UUID orgId) {
        return advisoryLock("pg_advisory_xact_lock", AdvisoryLocks.MEMBERSHIPS, orgId);
    }

    /**
     * Adds the members that are users or groups of the organization to the group (already present ones stay).
     *
     * @return whether the group was found, and the type of each id found (ids missing from it are neither)
     */
    public Uni<Added> addMembers(UUID orgId, UUID groupId, Collection<UUID> memberIds) {
        if (memberIds.isEmpty()) {
            return Uni.createFrom().item(new Added(true, Map.of()));
        }
        return getSession().chain(session -> session.createNativeQuery(ADD_MEMBERS, Object[].class)
                .setParameter("group", groupId).setParameter("org", orgId).setParameter("ids", ids(memberIds))
                .getResultList())
                .map(rows -> {
                    Map<UUID, String> found = new LinkedHashMap<>();
                    boolean groupFound = false;
                    for (Object[] row : rows) {
                        groupFound = ((Number) row[2]).longValue() > 0;
                        if (row[0] != null) {
                            found.put(UUID.fromString((String) row[0]), (String) row[1]);
                        }
                    }
                    return new Added(groupFound, found);
                });
    }

    /** What {@link #addMembers} found: the group, and the members by id with their type ({@link GroupMember#USER}…). */
    public record Added(boolean groupFound, Map<UUID, String> types) {
    }

    public Uni<Integer> removeMembers(UUID orgId, UUID groupId, Collection<UUID> memberIds) {
        if (memberIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return execute(REMOVE_MEMBERS, orgId, groupId, memberIds);
    }

    /** Removes every member not listed (all of them for an empty list). */
    public Uni<Integer> keepOnlyMembers(UUID orgId, UUID groupId, Collection<UUID> memberIds) {
        return execute(KEEP_ONLY_MEMBERS, orgId, groupId, memberIds);
    }

    public Uni<Boolean> wouldCycle(UUID groupId, Collection<UUID> groupMemberIds) {
        if (groupMemberIds.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        return getSession().chain(session -> session.createNativeQuery(WOULD_CYCLE, Long.class)
                .setParameter("ids", ids(groupMemberIds)).setParameter("group", groupId).getSingleResult())
                .map(count -> count > 0);
    }

    /**
     * Removes a user or group from every group it is a member of, each of which gets a new version. Run by its delete,
     * under {@link #lockMembershipsExclusive}.
     */
    public Uni<Integer> leaveAllGroups(UUID orgId, UUID memberId, Instant now) {
        return getSession().chain(session -> session.createNativeQuery(LEAVE_ALL_GROUPS)
                .setParameter("org", orgId).setParameter("member", memberId).setParameter("now", now).executeUpdate());
    }

    private Uni<Void> advisoryLock(String function, int namespace, UUID orgId) {
        return getSession().chain(session -> session
                .createNativeQuery(lockStatement(function, namespace, ":org"), Integer.class)
                .setParameter("org", orgId.toString()).getSingleResult())
                .replaceWithVoid();
    }

    private static String lockStatement(String function, int namespace, String orgParameter) {
        return "SELECT 1 FROM (SELECT " + function + "(" + namespace + ", hashtext(CAST(" + orgParameter
                + " AS text)))) AS locked";
    }

    private Uni<Integer> execute(String sql, UUID orgId, UUID groupId, Collection<UUID> memberIds) {
        return getSession().chain(session -> session.createNativeQuery(sql)
                .setParameter("group", groupId).setParameter("org", orgId).setParameter("ids", ids(memberIds))
                .executeUpdate());
    }

    private static String ids(Collection<UUID> ids) {
        JsonArray json = new JsonArray();
        ids.forEach(id -> json.add(id.toString()));
        return json.encode();
    }
}
