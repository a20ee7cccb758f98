package io.rollcall.store;

import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * {@code user.roles_changed} for the users whose effective roles a change to a group changed — its role bindings, its
 * membership when it (or a group containing it) holds roles, its deletion — found by comparison, set-based whatever the
 * group's size: before the change, {@link #remember} notes the effective roles of every user it may touch (the users
 * under the group, nested too, and those about to be added) in a temporary table of the connection; after it,
 * {@link #announce} compares them with the roles they hold now and writes one event per user whose roles differ, in
 * one {@code INSERT … SELECT}. Run inside the caller's transaction; nested pairs (a group's roles replaced while its
 * membership changes) announce each user once, since the second comparison starts from what the first announced.
 */
@ApplicationScoped
public class RoleChangeEvents {

    /**
     * The effective roles of the users of CTE {@code %1$s(user_id)} in organization {@code %2$s}: CTEs
     * {@code role_memberships}, {@code held} and {@code effective_roles(user_id, roles)}, roles a sorted JSON array of
     * {@code value} or {@code value@workspace} (empty when none). Part of a {@code WITH RECURSIVE} list.
     */
    static final String EFFECTIVE_ROLES = """
            role_memberships(user_id, group_id) AS (
                SELECT gm.member_id, gm.group_id FROM group_members gm JOIN %1$s t ON gm.member_id = t.user_id
                UNION
                """ + NestedGroups.containing("role_memberships", "role_memberships.user_id, gm.group_id") + """
            ), held(user_id, role) AS (
                SELECT b.principal_id, r.value || COALESCE('@' || w.name, '')
                  FROM role_bindings b JOIN %1$s t ON b.principal_id = t.user_id JOIN roles r ON r.id = b.role_id
                  LEFT JOIN workspaces w ON w.id = b.workspace_id
                 WHERE b.org_id = %2$s AND b.principal_kind = 'user'
                UNION
                SELECT m.user_id, r.value || COALESCE('@' || w.name, '')
                  FROM role_memberships m JOIN role_bindings b ON b.principal_id = m.group_id AND b.principal_kind = 'group'
                   AND b.org_id = %2$s
                  JOIN roles r ON r.id = b.role_id LEFT JOIN workspaces w ON w.id = b.workspace_id
            ), effective_roles(user_id, roles) AS (
                SELECT t.user_id, COALESCE(h.roles, '[]'::jsonb)
                  FROM %1$s t LEFT JOIN (SELECT user_id, jsonb_agg(role ORDER BY role) AS roles FROM held GROUP BY user_id) h
                    ON h.user_id = t.user_id
            )""";

    private static final String CREATE_SNAPSHOTS = """
            DO $$
            BEGIN
                -- not CREATE ... IF NOT EXISTS: its notice would be logged on every call
                IF to_regclass('pg_temp.role_snapshots') IS NULL THEN
                    CREATE TEMPORARY TABLE role_snapshots (user_id uuid PRIMARY KEY, roles jsonb NOT NULL)
                        ON COMMIT DELETE ROWS;
                END IF;
            END
            $$
            """;

    /** Group {@code :group} and the listed ids, the groups nested in them, and the users among or under them. */
    private static final String CANDIDATES = """
            WITH RECURSIVE roots(group_id) AS (
                SELECT CAST(:group AS uuid)
                UNION
                SELECT g.id FROM groups g WHERE g.org_id = :org AND g.id = ANY (string_to_array(:members, ',')::uuid[])
            ), subgroups(group_id) AS (
                SELECT group_id FROM roots
                UNION
                """ + NestedGroups.nestedIn("subgroups", "gm.member_id") + """
            ), candidates(user_id) AS (
                SELECT gm.member_id FROM group_members gm
                 WHERE gm.group_id IN (SELECT group_id FROM subgroups) AND gm.member_type = 'User'
                UNION
                SELECT u.id FROM users u WHERE u.org_id = :org AND u.id = ANY (string_to_array(:members, ',')::uuid[])
            """;

    private static final String REMEMBER = CANDIDATES + "), " + EFFECTIVE_ROLES.formatted("candidates", ":org") + """
            INSERT INTO role_snapshots (user_id, roles)
            SELECT user_id, roles FROM effective_roles
            ON CONFLICT (user_id) DO NOTHING
            """;

    /** After {@code candidates(user_id)}: the users whose roles differ from those noted, noted anew and announced. */
    private static final String CHANGED_ANNOUNCED = EFFECTIVE_ROLES.formatted("candidates", ":org") + """
            , changed(user_id, roles) AS (
                SELECT e.user_id, e.roles FROM effective_roles e LEFT JOIN role_snapshots s ON s.user_id = e.user_id
                 WHERE s.roles IS DISTINCT FROM e.roles
            ), noted AS (
                UPDATE role_snapshots s SET roles = c.roles FROM changed c WHERE s.user_id = c.user_id
            )
            INSERT INTO change_events (id, org_id, event_type, resource_type, resource_id, payload, request_id, occurred_at)
            SELECT gen_random_uuid(), :org, 'user.roles_changed', 'User', c.user_id, jsonb_build_object('roles', c.roles),
                   :request, now()
              FROM changed c
             WHERE """ + ChangeEventOutbox.subscribed(":org", "'user.roles_changed'") + """
            """;

    private static final String ANNOUNCE = CANDIDATES + """
                UNION
                SELECT s.user_id FROM role_snapshots s JOIN users u ON u.id = s.user_id AND u.org_id = :org
            ), """ + CHANGED_ANNOUNCED;

    /** The users holding the role as their fallback ({@code system} binding). */
    private static final String REMEMBER_FALLBACK_HOLDERS = """
            WITH RECURSIVE candidates(user_id) AS (
                SELECT b.principal_id FROM role_bindings b
                 WHERE b.org_id = :org AND b.role_id = :role AND b.principal_kind = 'user' AND b.source = 'system'
            ), """ + EFFECTIVE_ROLES.formatted("candidates", ":org") + """
            INSERT INTO role_snapshots (user_id, roles)
            SELECT user_id, roles FROM effective_roles
            ON CONFLICT (user_id) DO NOTHING
            """;

    /** The users noted so far in the transaction, whatever the change. */
    private static final String ANNOUNCE_REMEMBERED = """
            WITH RECURSIVE candidates(user_id) AS (
                SELECT s.user_id FROM role_snapshots s JOIN users u ON u.id = s.user_id AND u.org_id = :org
            ), """ + CHANGED_ANNOUNCED;

    /**
     * Notes the effective roles of the users under the group (nested too) and of the listed members about to be added
     * (users, or groups whose users count), before a change.
     */
    public Uni<Integer> remember(UUID orgId, UUID groupId, Collection<UUID> adding) {
        return Panache.getSession().chain(session -> session.createNativeQuery(CREATE_SNAPSHOTS).executeUpdate()
                .chain(() -> session.createNativeQuery(REMEMBER).setParameter("org", orgId)
                        .setParameter("group", groupId).setParameter("members", joined(adding)).executeUpdate()));
    }

    /**
     * After the change: one {@code user.roles_changed} per user (under the group now, among the listed members, or
     * noted by {@link #remember}) whose effective roles differ from those noted.
     *
     * @return how many events were written
     */
    public Uni<Integer> announce(UUID orgId, UUID groupId, Collection<UUID> adding, String requestId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(ANNOUNCE).setParameter("org", orgId)
                .setParameter("group", groupId).setParameter("members", joined(adding))
                .setParameter("request", requestId).executeUpdate());
    }

    /** Notes the effective roles of the users holding the role as their fallback, before the fallback role moves. */
    public Uni<Integer> rememberFallbackHolders(UUID orgId, UUID roleId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(CREATE_SNAPSHOTS).executeUpdate()
                .chain(() -> session.createNativeQuery(REMEMBER_FALLBACK_HOLDERS).setParameter("org", orgId)
                        .setParameter("role", roleId).executeUpdate()));
    }

    /** {@link #announce} for the users noted so far, after a change that is not a group's. */
    public Uni<Integer> announceRemembered(UUID orgId, String requestId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(ANNOUNCE_REMEMBERED)
                .setParameter("org", orgId).setParameter("request", requestId).executeUpdate());
    }

    private static String joined(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(","));
    }
}
