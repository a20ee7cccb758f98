package io.rollcall.store;

import java.util.ArrayList;
import java.util.List;
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
     * array of {@code {"id", "display", "direct"}}, ordered by display name; null when there are none. Each group's name
     * is read once ({@code OFFSET 0} keeps the subquery whole: flattened, the name was looked up for the order and
     * again for the output).
     */
    private static final String GROUPS_ARRAY = """
            (SELECT json_agg(json_build_object('id', y.group_id, 'display', y.display, 'direct', y.direct)
                             ORDER BY y.display, y.group_id)
               FROM (SELECT x.group_id, x.direct,
                            (SELECT g.display_name FROM groups g WHERE g.id = x.group_id AND g.org_id = u.org_id) AS display
                       FROM (WITH RECURSIVE memberships(group_id, direct) AS (
                                 SELECT gm.group_id, true FROM group_members gm WHERE gm.member_id = u.id
                                 UNION
                                 """ + NestedGroups.containing("memberships", "gm.group_id, false") + """
                )
                             SELECT group_id, bool_or(direct) AS direct FROM memberships GROUP BY group_id) x
                     OFFSET 0) y)""";

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
        return withGroups ? (withRoles ? GROUPS_AND_ROLES : GROUPS_ONLY) : (withRoles ? ROLES_ONLY : null);
    }

    // built once: each is the text of a statement the driver keeps prepared, looked up by that text on every read
    private static final String GROUPS_AND_ROLES = computedObject(GROUPS_ARRAY, rolesArray("u", "user"));
    private static final String GROUPS_ONLY = computedObject(GROUPS_ARRAY, "NULL");
    private static final String ROLES_ONLY = computedObject("NULL", rolesArray("u", "user"));

    private static String computedObject(String groups, String roles) {
        return "json_build_object('groups', " + groups + ", 'roles', " + roles + ")::text";
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
     * The groups and role bindings of a page of users, as rows in page order ($2: the user ids in order, the position
     * taken from the array), each user's groups by display name then id and its roles by name then workspace — what
     * {@link #computed} gives one user as JSON, for a whole page in one statement. At most $3 rows.
     * <p>
     * A pooled connection plans this once ({@code plan_cache_mode=force_generic_plan}), possibly while the tables are
     * empty or their statistics say so (an identity provider's first sync). So that no plan walks every binding or
     * membership of the organization on every page, each table is read only through the index by principal or member,
     * all the page's ids in one index scan ({@code = ANY ($2)}): memberships by member; the nested walk over the
     * distinct groups the page's users are in, not once per user; group names once per distinct group (materialized:
     * inlined, a plan made with the statistics of a small organization read its groups again for every membership of
     * the page, +270 µs of PostgreSQL per page of 100 after an ANALYZE); role bindings by
     * (kind, principal), each with its role and workspace by id, its position in the page taken from the array (a hash join
     * to the page's ids cost PostgreSQL ~65 µs more per page of 100). The bindings' organization is compared with
     * {@code IS NOT DISTINCT FROM}, which no index serves: with {@code =}, statistics of an empty table make the
     * (organization, role) index look as selective, and that plan reads every binding of the organization per page
     * ({@code PageRelationPlanTest}).
     */
    private static final String RELATED_ROWS = """
            WITH RECURSIVE page(id, ord) AS (
                SELECT * FROM unnest($2::uuid[]) WITH ORDINALITY
            ), direct(ord, group_id) AS (
                SELECT page.ord, gm.group_id FROM group_members gm JOIN page ON page.id = gm.member_id
                 WHERE gm.member_id = ANY ($2)
            ), reach(start, group_id) AS (
                SELECT DISTINCT group_id, group_id FROM direct
                UNION
                """ + NestedGroups.containing("reach", "reach.start, gm.group_id") + """
            ), named(group_id, display_name) AS MATERIALIZED (
                SELECT g.id, g.display_name FROM (SELECT DISTINCT group_id FROM reach) d
                 CROSS JOIN LATERAL (SELECT g.id, g.display_name FROM groups g WHERE g.id = d.group_id AND g.org_id = $1
                                     OFFSET 0) g
            ), related(ord, kind, display, value, direct, source) AS (
                SELECT %s
                UNION ALL
                SELECT %s
            )
            SELECT CAST(x.ord AS integer), x.kind, x.display, x.value, x.direct, x.source
              FROM related x
             ORDER BY x.ord, x.kind, x.display, x.value
             LIMIT $3
            """;

    private static final String GROUP_ROWS = """
            d.ord, 1, n.display_name, CAST(r.group_id AS text), bool_or(r.group_id = d.group_id), NULL
                  FROM direct d JOIN reach r ON r.start = d.group_id JOIN named n ON n.group_id = r.group_id
                 GROUP BY d.ord, r.group_id, n.display_name""";

    private static final String ROLE_ROWS = """
            CAST(array_position($2, b.principal_id) AS bigint), 2, r.name, r.value || COALESCE('@' || w.name, ''), NULL,
                   b.source
                  FROM role_bindings b
                 CROSS JOIN LATERAL (SELECT r.name, r.value FROM roles r WHERE r.id = b.role_id OFFSET 0) r
                  LEFT JOIN LATERAL (SELECT w.name FROM workspaces w WHERE w.id = b.workspace_id OFFSET 0) w ON true
                 WHERE b.principal_kind = 'user' AND b.principal_id = ANY ($2) AND b.org_id IS NOT DISTINCT FROM $1""";

    private static final String NO_ROWS = "NULL::bigint, 0, NULL::text, NULL::text, NULL::boolean, NULL::text WHERE false";

    /** The statement {@link #relationsOfUsers} runs ($1 organization, $2 user ids in page order, $3 row limit). */
    static String relatedRowsSql(boolean withGroups, boolean withRoles) {
        return RELATED_ROWS.formatted(withGroups ? GROUP_ROWS : NO_ROWS, withRoles ? ROLE_ROWS : NO_ROWS);
    }

    /**
     * The relations of the first users of a page, in page order, reading at most {@code rowLimit} groups and roles in
     * all: every user before the one that would pass the limit (always at least the first user, whatever it holds).
     *
     * @return the users read (a prefix of {@code userIds}) with their relations; lists not asked for are null
     */
    public Uni<List<UserRelations>> relationsOfUsers(UUID orgId, List<UUID> userIds, boolean withGroups,
            boolean withRoles, int rowLimit) {
        if (userIds.isEmpty() || (!withGroups && !withRoles)) {
            return Uni.createFrom().item(userIds.stream().map(id -> UserRelations.NOT_READ).toList());
        }
        String sql = relatedRowsSql(withGroups, withRoles);
        return pool.preparedQuery(sql).execute(Tuple.of(orgId, userIds.toArray(UUID[]::new), (long) rowLimit + 1))
                .chain(rows -> {
                    List<UserRelations> relations = new ArrayList<>(userIds.size());
                    for (int i = 0; i < userIds.size(); i++) {
                        relations.add(new UserRelations(withGroups ? new ArrayList<>() : null,
                                withRoles ? new ArrayList<>() : null));
                    }
                    int read = userIds.size();
                    int count = 0;
                    for (Row row : rows) {
                        int index = row.getInteger(0) - 1;
                        if (++count > rowLimit) {
                            read = index; // the limit cut this user's rows: it and those after it are not read
                            break;
                        }
                        // columns: ord, kind, display, value, direct, source
                        if (row.getInteger(1) == 1) {
                            relations.get(index).groups().add(new UserRelations.Group(UUID.fromString(row.getString(3)),
                                    row.getString(2), row.getBoolean(4)));
                        } else {
                            relations.get(index).roles().add(new UserRelations.Role(row.getString(3), row.getString(2),
                                    row.getString(5)));
                        }
                    }
                    if (read > 0) {
                        return Uni.createFrom().item(relations.subList(0, read));
                    }
                    // the first user alone holds more than the limit: read all of it, and only it
                    return relationsOfUsers(orgId, userIds.subList(0, 1), withGroups, withRoles, Integer.MAX_VALUE - 1);
                });
    }
}
