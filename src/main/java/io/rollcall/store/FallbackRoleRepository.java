package io.rollcall.store;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The statements behind the fallback rule (rule 8): every active user holds at least one role, and a user that nothing
 * else grants one holds the organization's fallback role (source {@code system}), given and taken as other grants come
 * and go. Run inside the caller's transaction.
 */
@ApplicationScoped
public class FallbackRoleRepository {

    /** The listed users of the organization (ids joined by commas in {@code :users}). */
    private static final String LISTED_USERS = """
            targets(user_id) AS (
                SELECT u.id FROM users u WHERE u.org_id = :org AND u.id = ANY (string_to_array(:users, ',')::uuid[]))
            """;

    /** The organization's users without any direct binding (as after an upgrade from before role bindings). */
    private static final String UNBOUND_USERS = """
            targets(user_id) AS (
                SELECT u.id FROM users u WHERE u.org_id = :org
                   AND NOT EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'user'
                                      AND b.principal_id = u.id))
            """;

    /**
     * Gives the organization's fallback role (its setting; source {@code system}) to each target user that nothing
     * else grants a role — no other direct binding, no group binding through its groups — and takes it from those that
     * have another one now.
     */
    private static final String RECONCILE_FALLBACK = """
            , fallback(role_id) AS (
                SELECT r.id FROM organizations o JOIN roles r ON r.org_id = o.id AND r.value = o.settings ->> 'fallbackRole'
                 WHERE o.id = :org
            ), memberships(user_id, group_id) AS (
                SELECT gm.member_id, gm.group_id FROM group_members gm JOIN targets t ON gm.member_id = t.user_id
                UNION
                """ + NestedGroups.containing("memberships", "memberships.user_id, gm.group_id") + """
            ), granted(user_id) AS (
                SELECT t.user_id FROM targets t
                 WHERE EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'user'
                                  AND b.principal_id = t.user_id AND b.source <> 'system')
                UNION
                SELECT m.user_id FROM memberships m
                 WHERE EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'group'
                                  AND b.principal_id = m.group_id)
            ), removed AS (
                DELETE FROM role_bindings b USING granted g
                 WHERE b.org_id = :org AND b.principal_kind = 'user' AND b.principal_id = g.user_id AND b.source = 'system'
                RETURNING b.id
            ), added AS (
                INSERT INTO role_bindings (id, org_id, principal_kind, principal_id, role_id, workspace_id, source)
                SELECT gen_random_uuid(), :org, 'user', t.user_id, f.role_id, NULL, 'system'
                  FROM targets t CROSS JOIN fallback f
                 WHERE t.user_id NOT IN (SELECT user_id FROM granted)
                   AND NOT EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'user'
                                      AND b.principal_id = t.user_id)
                ON CONFLICT DO NOTHING
                RETURNING id)
            SELECT (SELECT count(*) FROM removed) + (SELECT count(*) FROM added)
            """;

    /**
     * {@link #RECONCILE_FALLBACK} for one user, the path of every user create and write: scalar parameters only, so
     * that its generic plan walks indexes (a list parameter's generic plan may scan all of group_members).
     */
    private static final String RECONCILE_FALLBACK_OF_USER = NestedGroups.GROUPS_OF_USER + """
            , fallback(role_id) AS (
                SELECT r.id FROM organizations o JOIN roles r ON r.org_id = o.id AND r.value = o.settings ->> 'fallbackRole'
                 WHERE o.id = :org
            ), granted(yes) AS (
                SELECT EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'user'
                                  AND b.principal_id = :user AND b.source <> 'system')
                    OR EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'group'
                                  AND b.principal_id IN (SELECT group_id FROM memberships))
            ), removed AS (
                DELETE FROM role_bindings b
                 WHERE b.org_id = :org AND b.principal_kind = 'user' AND b.principal_id = :user AND b.source = 'system'
                   AND (SELECT yes FROM granted)
                RETURNING b.id
            ), added AS (
                INSERT INTO role_bindings (id, org_id, principal_kind, principal_id, role_id, workspace_id, source)
                SELECT gen_random_uuid(), :org, 'user', u.id, f.role_id, NULL, 'system'
                  FROM users u CROSS JOIN fallback f
                 WHERE u.org_id = :org AND u.id = :user AND NOT (SELECT yes FROM granted)
                   AND NOT EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'user'
                                      AND b.principal_id = :user)
                ON CONFLICT DO NOTHING
                RETURNING id)
            SELECT (SELECT count(*) FROM removed) + (SELECT count(*) FROM added)
            """;

    /**
     * Where a change to a role-granting group notes, before it runs, the users it may leave without a role: once they
     * have left the group (or the group is gone) no walk from the group finds them again. A temporary table of the
     * connection, emptied at every commit, so that a 100,000-member group is never listed in Java; created once per
     * connection (later statements only check that it is there).
     */
    private static final String CREATE_FALLBACK_CANDIDATES = """
            DO $$
            BEGIN
                -- not CREATE ... IF NOT EXISTS: its notice would be logged on every call
                IF to_regclass('pg_temp.fallback_candidates') IS NULL THEN
                    CREATE TEMPORARY TABLE fallback_candidates (user_id uuid PRIMARY KEY) ON COMMIT DELETE ROWS;
                END IF;
            END
            $$
            """;

    /**
     * The users in the group (nested too) whose role may hang on it: those with a direct binding of their own (not the
     * fallback) keep a role whatever the group does.
     */
    private static final String REMEMBER_USERS_UNDER_GROUP = "WITH RECURSIVE " + NestedGroups.USERS_UNDER_GROUP + """
            INSERT INTO fallback_candidates (user_id)
            SELECT t.user_id FROM targets t
             WHERE NOT EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'user'
                                  AND b.principal_id = t.user_id AND b.source <> 'system')
            ON CONFLICT DO NOTHING
            """;

    /** The users in group {@code :group} now (nested too), and those noted before the change. */
    private static final String USERS_UNDER_GROUP_AND_REMEMBERED = NestedGroups.SUBGROUPS_AND_THEIR_USERS + """
                UNION
                SELECT c.user_id FROM fallback_candidates c)
            """;

    /** Up to five userNames of the active target users that hold no role at all. */
    private static final String USERS_WITHOUT_ROLE = """
            SELECT u.user_name FROM users u JOIN targets t ON t.user_id = u.id
             WHERE u.org_id = :org AND u.active
               AND NOT EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'user'
                                  AND b.principal_id = u.id)
               AND NOT EXISTS (
                   WITH RECURSIVE memberships(group_id) AS (
                       SELECT gm.group_id FROM group_members gm WHERE gm.member_id = u.id
                       UNION
                       """ + NestedGroups.containing("memberships", "gm.group_id") + """
                )
                   SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'group'
                      AND b.principal_id IN (SELECT group_id FROM memberships))
             ORDER BY u.user_name
             LIMIT 5
            """;

    /**
     * Binds organization {@code org}'s fallback role to user {@code user} (SQL expressions, parameters), for a user
     * just created without roles: nothing else can grant it one yet.
     */
    static String grantFallback(String org, String user) {
        return """
                INSERT INTO role_bindings (id, org_id, principal_kind, principal_id, role_id, workspace_id, source)
                SELECT gen_random_uuid(), o.id, 'user', %2$s, r.id, NULL, 'system'
                  FROM organizations o JOIN roles r ON r.org_id = o.id AND r.value = o.settings ->> 'fallbackRole'
                 WHERE o.id = %1$s
                """.formatted(org, user);
    }

    private static final String GRANT_FALLBACK = grantFallback("$1", "$2");

    /**
     * The organization's fallback role changed: users holding the old one as fallback ({@code system}) hold the new one
     * instead (or just lose the old one if they hold the new one already).
     *
     * @return how many users' fallback bindings moved or went
     */
    public Uni<Integer> moveFallback(UUID orgId, UUID fromRoleId, UUID toRoleId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                DELETE FROM role_bindings b
                 WHERE b.org_id = :org AND b.principal_kind = 'user' AND b.source = 'system' AND b.role_id = :from
                   AND EXISTS (SELECT 1 FROM role_bindings o
                                WHERE o.org_id = :org AND o.principal_kind = 'user' AND o.principal_id = b.principal_id
                                  AND o.role_id = :to AND o.workspace_id IS NULL)
                """).setParameter("org", orgId).setParameter("from", fromRoleId).setParameter("to", toRoleId)
                .executeUpdate()
                .chain(dropped -> session.createNativeQuery("""
                        UPDATE role_bindings SET role_id = :to
                         WHERE org_id = :org AND principal_kind = 'user' AND source = 'system' AND role_id = :from
                        """).setParameter("org", orgId).setParameter("from", fromRoleId).setParameter("to", toRoleId)
                        .executeUpdate().map(moved -> dropped + moved)));
    }

    /** Binds the fallback role to a user just created without roles (no group can hold it yet). */
    public Uni<Integer> grantFallback(UUID orgId, UUID userId) {
        return SessionStatements.update(GRANT_FALLBACK, orgId, userId);
    }

    /** @return how many bindings were added or removed */
    public Uni<Long> reconcileFallback(UUID orgId, Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        if (userIds.size() == 1) {
            return Panache.getSession().chain(session -> session.createNativeQuery(RECONCILE_FALLBACK_OF_USER, Long.class)
                    .setParameter("org", orgId).setParameter("user", userIds.iterator().next()).getSingleResult());
        }
        return Panache.getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + LISTED_USERS + RECONCILE_FALLBACK, Long.class)
                .setParameter("org", orgId).setParameter("users", joined(userIds)).getSingleResult());
    }

    /**
     * Notes, in the caller's transaction, the users in the group (nested too) that a change about to remove members or
     * the group may leave without a role; {@link #reconcileFallbackUnderGroupAndRemembered} settles them after it.
     *
     * @return how many users were noted
     */
    public Uni<Integer> rememberUsersUnderGroup(UUID orgId, UUID groupId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(CREATE_FALLBACK_CANDIDATES).executeUpdate()
                .chain(() -> session.createNativeQuery(REMEMBER_USERS_UNDER_GROUP).setParameter("org", orgId)
                        .setParameter("group", groupId).executeUpdate()));
    }

    /**
     * {@link #reconcileFallbackUnderGroup} for the users in the group now and those {@link #rememberUsersUnderGroup}
     * noted before the change: one statement gives the fallback role to each left without any role and takes it from
     * each that has another.
     *
     * @return how many bindings were added or removed
     */
    public Uni<Long> reconcileFallbackUnderGroupAndRemembered(UUID orgId, UUID groupId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + USERS_UNDER_GROUP_AND_REMEMBERED + RECONCILE_FALLBACK, Long.class)
                .setParameter("org", orgId).setParameter("group", groupId).getSingleResult());
    }

    /** @return how many users without any direct binding got the fallback role (or, through groups, needed none) */
    public Uni<Long> reconcileFallbackOfUnbound(UUID orgId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + UNBOUND_USERS + RECONCILE_FALLBACK, Long.class)
                .setParameter("org", orgId).getSingleResult());
    }

    /** @return how many bindings were added or removed */
    public Uni<Long> reconcileFallbackUnderGroup(UUID orgId, UUID groupId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + NestedGroups.USERS_UNDER_GROUP + RECONCILE_FALLBACK, Long.class)
                .setParameter("org", orgId).setParameter("group", groupId).getSingleResult());
    }

    /** Up to five userNames of the listed active users that hold no role at all. */
    public Uni<List<String>> usersWithoutRole(UUID orgId, Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + LISTED_USERS + USERS_WITHOUT_ROLE, String.class)
                .setParameter("org", orgId).setParameter("users", joined(userIds)).getResultList());
    }

    /** Up to five userNames of the active users in the group (also through nested groups) that hold no role at all. */
    public Uni<List<String>> usersWithoutRoleUnderGroup(UUID orgId, UUID groupId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + NestedGroups.USERS_UNDER_GROUP + USERS_WITHOUT_ROLE, String.class)
                .setParameter("org", orgId).setParameter("group", groupId).getResultList());
    }

    private static String joined(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(","));
    }
}
