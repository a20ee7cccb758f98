package io.rollcall.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Groups and their membership. Membership changes are deltas on {@code group_members} — insert what is new
 * ({@code ON CONFLICT DO NOTHING}), delete what goes — so adding or removing one member costs the same for a group of
 * 10 or 100,000 members, and the member list is never read to change it. Member lists travel to PostgreSQL as one
 * JSON parameter.
 */
@ApplicationScoped
public class GroupRepository implements PanacheRepositoryBase<GroupEntity, UUID> {

    private static final String MEMBERS_OF = """
            SELECT gm.member_id, gm.member_type, COALESCE(u.display_name, u.user_name, g.display_name) AS display
              FROM group_members gm
              LEFT JOIN users u ON gm.member_type = 'User' AND u.id = gm.member_id
              LEFT JOIN groups g ON gm.member_type = 'Group' AND g.id = gm.member_id
             WHERE gm.org_id = $1 AND gm.group_id = $2
             ORDER BY gm.member_id
            """;

    /**
     * Which of the ids are rows of the table, key-share locked until the transaction ends: a concurrent delete of one of
     * them waits for this membership change, or this change sees it gone.
     */
    private static final String EXISTING_ROWS = """
            SELECT CAST(t.id AS text) FROM %s t
             WHERE t.org_id = :org
               AND t.id IN (SELECT CAST(value AS uuid) FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)))
             ORDER BY t.id
               FOR KEY SHARE
            """;

    /** Counts a change to every group containing the member, locking those groups in id order (no deadlocks). */
    private static final String BUMP_CONTAINERS = """
            UPDATE groups SET version = version + 1, updated_at = :now
             WHERE id IN (SELECT g.id FROM groups g
                           WHERE g.org_id = :org
                             AND g.id IN (SELECT gm.group_id FROM group_members gm WHERE gm.member_id = :member)
                           ORDER BY g.id FOR UPDATE)
            """;

    private static final String ADD_MEMBERS = """
            INSERT INTO group_members (group_id, member_id, member_type, org_id)
            SELECT :group, CAST(m.id AS uuid), m.type, :org
              FROM jsonb_to_recordset(CAST(CAST(:members AS text) AS jsonb)) AS m(id text, type text)
            ON CONFLICT (group_id, member_id) DO NOTHING
            """;

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

    /** The group, locked until the transaction ends, so that concurrent writers to it apply one after another. */
    public Uni<GroupEntity> findForUpdate(UUID orgId, UUID id) {
        return find("orgId = ?1 and id = ?2", orgId, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** The group's current version, read without a lock; null when there is no such group. */
    public Uni<Long> version(UUID orgId, UUID id) {
        return getSession().chain(session -> session
                .createNativeQuery("SELECT version FROM groups WHERE org_id = :org AND id = :id", Long.class)
                .setParameter("org", orgId).setParameter("id", id).getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /**
     * Counts one change: version + 1 and a new lastModified. Run last in the transaction, so that the row lock it takes
     * is held only while committing; with {@code expected}, only if the version is still that one.
     *
     * @return the new version, or null when the group is gone or no longer at {@code expected}
     */
    public Uni<Long> bumpVersion(UUID orgId, UUID id, Long expected, java.time.Instant now) {
        String sql = "UPDATE groups SET version = version + 1, updated_at = :now WHERE org_id = :org AND id = :id"
                + (expected == null ? "" : " AND version = :expected") + " RETURNING version";
        return getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Long.class).setParameter("org", orgId).setParameter("id", id)
                    .setParameter("now", now);
            if (expected != null) {
                query.setParameter("expected", expected);
            }
            return query.getResultList();
        }).map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** Every member with its display name, ordered by id. */
    public Uni<List<MemberRef>> members(UUID orgId, UUID groupId) {
        return pool.preparedQuery(MEMBERS_OF).execute(Tuple.of(orgId, groupId)).map(rows -> {
            List<MemberRef> members = new ArrayList<>();
            for (Row row : rows) {
                members.add(new MemberRef(row.getUUID("member_id"), row.getString("member_type"), row.getString("display")));
            }
            return members;
        });
    }

    /** Which of the ids are users or groups of the organization, with their type; key-share locked (see above). */
    public Uni<Map<UUID, String>> existingPrincipals(UUID orgId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Map<UUID, String> found = new LinkedHashMap<>();
        return existing("users", orgId, ids).invoke(rows -> rows.forEach(id -> found.put(id, MemberRef.USER)))
                .chain(() -> existing("groups", orgId, ids))
                .map(rows -> {
                    rows.forEach(id -> found.put(id, MemberRef.GROUP));
                    return found;
                });
    }

    private Uni<List<UUID>> existing(String table, UUID orgId, Collection<UUID> ids) {
        return getSession().chain(session -> session.createNativeQuery(EXISTING_ROWS.formatted(table), String.class)
                .setParameter("ids", ids(ids)).setParameter("org", orgId).getResultList())
                .map(rows -> rows.stream().map(UUID::fromString).toList());
    }

    /**
     * Serialises, per organization, the transactions that nest groups, so that two concurrent additions cannot both pass
     * the cycle check and together form a cycle. Held until the transaction ends.
     */
    public Uni<Void> lockNesting(UUID orgId) {
        return getSession().chain(session -> session
                .createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(8207412, hashtext(CAST(:org AS text)))) AS locked",
                        Integer.class)
                .setParameter("org", orgId.toString()).getSingleResult())
                .replaceWithVoid();
    }

    /** A member is going away: every group containing it gets a new version (its member list changes). */
    public Uni<Integer> bumpContainers(UUID orgId, UUID memberId, java.time.Instant now) {
        return getSession().chain(session -> session.createNativeQuery(BUMP_CONTAINERS)
                .setParameter("org", orgId).setParameter("member", memberId).setParameter("now", now).executeUpdate());
    }

    public Uni<Integer> addMembers(UUID orgId, UUID groupId, Collection<MemberRef> members) {
        if (members.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        JsonArray json = new JsonArray();
        members.forEach(m -> json.add(new JsonObject().put("id", m.id().toString()).put("type", m.type())));
        return getSession().chain(session -> session.createNativeQuery(ADD_MEMBERS)
                .setParameter("group", groupId).setParameter("org", orgId).setParameter("members", json.encode())
                .executeUpdate());
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

    /** Removes a user or group from every group it is a member of (a group's own members go with it by cascade). */
    public Uni<Integer> deleteMemberships(UUID orgId, UUID memberId) {
        return getSession().chain(session -> session
                .createNativeQuery("DELETE FROM group_members WHERE org_id = :org AND member_id = :member")
                .setParameter("org", orgId).setParameter("member", memberId).executeUpdate());
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
