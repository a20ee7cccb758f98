package io.rollcall.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Users: writes go through Hibernate Reactive inside the service's transaction (row-locked for replace and patch);
 * reads and searches are {@link ResourceReads} on the {@code users} table.
 */
@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<UserEntity, UUID> {

    private final Pool pool;

    public UserRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * The groups of the user in row alias {@code u}, directly or through nested groups (cycles tolerated), as a JSON
     * array of {@code {"id", "display", "direct"}}, ordered by display name; null when there are none.
     */
    private static final String GROUPS_ARRAY = """
            (SELECT json_agg(json_build_object('id', y.group_id, 'display', y.display, 'direct', y.direct)
                             ORDER BY y.display, y.group_id)
               FROM (SELECT x.group_id, x.direct,
                            (SELECT g.display_name FROM groups g WHERE g.id = x.group_id AND g.org_id = u.org_id) AS display
                       FROM (WITH RECURSIVE memberships(group_id, direct) AS (
                                 SELECT gm.group_id, true FROM group_members gm WHERE gm.member_id = u.id
                                 UNION
                                 SELECT gm.group_id, false FROM group_members gm JOIN memberships m ON gm.member_id = m.group_id
                                  WHERE gm.member_type = 'Group')
                             SELECT group_id, bool_or(direct) AS direct FROM memberships GROUP BY group_id) x) y)""";

    /**
     * The role bindings of the principal in row alias {@code alias} as a JSON array of {@code {"value", "display",
     * "source"}} ({@code value} is {@code role} or {@code role@workspace}), ordered by role name; null when none.
     */
    public static String rolesArray(String alias, String principalKind) {
        return """
                (SELECT json_agg(json_build_object('value', r.value || COALESCE('@' || w.name, ''), 'display', r.name,
                                                   'source', b.source) ORDER BY r.name, w.name NULLS FIRST)
                   FROM role_bindings b JOIN roles r ON r.id = b.role_id LEFT JOIN workspaces w ON w.id = b.workspace_id
                  WHERE b.org_id = %1$s.org_id AND b.principal_kind = '%2$s' AND b.principal_id = %1$s.id)"""
                .formatted(alias, principalKind);
    }

    /**
     * The computed attributes of the user in row alias {@code u} as a JSON object {@code {"groups": …, "roles": …}}
     * ({@link #GROUPS_ARRAY}, {@link #rolesArray}); an attribute not asked for is null.
     */
    public static String computed(boolean withGroups, boolean withRoles) {
        if (!withGroups && !withRoles) {
            return null;
        }
        return "json_build_object('groups', " + (withGroups ? GROUPS_ARRAY : "NULL") + ", 'roles', "
                + (withRoles ? rolesArray("u", "user") : "NULL") + ")::text";
    }

    /**
     * The users bound to a role in the workspace get a new version (their {@code roles} show {@code value@workspace},
     * which a rename or delete of the workspace changes); locked in id order, as a user write would lock them.
     */
    private static final String TOUCH_BOUND_IN_WORKSPACE = """
            UPDATE users SET version = version + 1, updated_at = :now
             WHERE id IN (SELECT u.id FROM users u
                           WHERE u.org_id = :org
                             AND u.id IN (SELECT b.principal_id FROM role_bindings b
                                           WHERE b.org_id = :org AND b.workspace_id = :workspace
                                             AND b.principal_kind = 'user')
                           ORDER BY u.id FOR UPDATE)
            """;

    /** @return how many users changed version */
    public Uni<Integer> touchBoundInWorkspace(UUID orgId, UUID workspaceId, java.time.Instant now) {
        return getSession().chain(session -> session.createNativeQuery(TOUCH_BOUND_IN_WORKSPACE)
                .setParameter("org", orgId).setParameter("workspace", workspaceId).setParameter("now", now)
                .executeUpdate());
    }

    /** The user, locked until the transaction ends, so that concurrent replaces and patches apply one after another. */
    public Uni<UserEntity> findForUpdate(UUID orgId, UUID id) {
        return find("orgId = ?1 and id = ?2", orgId, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * The computed attributes of many users at once (a page of a list), as {@link #computed} gives them for one: the
     * groups (directly or through nested groups) by one recursive statement and the role bindings by one join, instead
     * of subqueries per row. Result: user id → JSON object {@code {"groups": …, "roles": …}} (null where none).
     */
    private static final String GROUPS_OF_USERS = """
            memberships(user_id, group_id, direct) AS (
                SELECT gm.member_id, gm.group_id, true FROM group_members gm
                 WHERE gm.org_id = $1 AND gm.member_id = ANY($2)
                UNION
                SELECT m.user_id, gm.group_id, false FROM group_members gm JOIN memberships m ON gm.member_id = m.group_id
                 WHERE gm.member_type = 'Group'
            ), flat AS (
                SELECT user_id, group_id, bool_or(direct) AS direct FROM memberships GROUP BY user_id, group_id
            ), user_groups AS (
                SELECT f.user_id,
                       json_agg(json_build_object('id', f.group_id, 'display', g.display_name, 'direct', f.direct)
                                ORDER BY g.display_name, f.group_id) AS groups
                  FROM flat f JOIN groups g ON g.id = f.group_id
                 GROUP BY f.user_id
            )""";

    private static final String ROLES_OF_USERS = """
            user_roles AS (
                SELECT b.principal_id AS user_id,
                       json_agg(json_build_object('value', r.value || COALESCE('@' || w.name, ''), 'display', r.name,
                                                  'source', b.source) ORDER BY r.name, w.name NULLS FIRST) AS roles
                  FROM role_bindings b JOIN roles r ON r.id = b.role_id LEFT JOIN workspaces w ON w.id = b.workspace_id
                 WHERE b.org_id = $1 AND b.principal_kind = 'user' AND b.principal_id = ANY($2)
                 GROUP BY b.principal_id
            )""";

    private static final String NONE_OF_USERS = "%s AS (SELECT CAST(NULL AS uuid) AS user_id, CAST(NULL AS json) AS %s WHERE false)";

    private static String relatedOfUsers(boolean withGroups, boolean withRoles) {
        return "WITH RECURSIVE " + (withGroups ? GROUPS_OF_USERS : NONE_OF_USERS.formatted("user_groups", "groups"))
                + ", " + (withRoles ? ROLES_OF_USERS : NONE_OF_USERS.formatted("user_roles", "roles")) + """

                SELECT k.id AS user_id, json_build_object('groups', ug.groups, 'roles', ur.roles)::text AS related
                  FROM unnest($2::uuid[]) AS k(id)
                  LEFT JOIN user_groups ug ON ug.user_id = k.id LEFT JOIN user_roles ur ON ur.user_id = k.id
                """;
    }

    public Uni<Map<UUID, String>> relatedOfUsers(UUID orgId, List<UUID> userIds, boolean withGroups, boolean withRoles) {
        if (userIds.isEmpty() || (!withGroups && !withRoles)) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery(relatedOfUsers(withGroups, withRoles))
                .execute(Tuple.of(orgId, userIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, String> related = new HashMap<>();
                    for (Row row : rows) {
                        related.put(row.getUUID("user_id"), row.getString("related"));
                    }
                    return related;
                });
    }
}
