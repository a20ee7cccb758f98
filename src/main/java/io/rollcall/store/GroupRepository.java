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

    private static final String EXISTING_PRINCIPALS = """
            WITH wanted AS (SELECT CAST(value AS uuid) AS id FROM jsonb_array_elements_text(CAST(CAST(:ids AS text) AS jsonb)))
            SELECT CAST(u.id AS text), 'User' FROM users u JOIN wanted w ON u.id = w.id WHERE u.org_id = :org
            UNION ALL
            SELECT CAST(g.id AS text), 'Group' FROM groups g JOIN wanted w ON g.id = w.id WHERE g.org_id = :org
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

    /** Which of the ids are users or groups of the organization, with their type. */
    public Uni<Map<UUID, String>> existingPrincipals(UUID orgId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return getSession().chain(session -> session.createNativeQuery(EXISTING_PRINCIPALS, Object[].class)
                .setParameter("ids", ids(ids)).setParameter("org", orgId).getResultList())
                .map(rows -> {
                    Map<UUID, String> found = new LinkedHashMap<>();
                    rows.forEach(row -> found.put(UUID.fromString((String) row[0]), (String) row[1]));
                    return found;
                });
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

    /** Removes the group from every group it is a member of (its own members go with it by cascade). */
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
