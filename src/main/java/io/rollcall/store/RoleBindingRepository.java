package io.rollcall.store;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/**
 * Role bindings, read and written inside the caller's transaction. The queries behind the role rules live here: who
 * holds Organization Owner, and who keeps the organization's fallback role.
 */
@ApplicationScoped
public class RoleBindingRepository implements PanacheRepositoryBase<RoleBindingEntity, UUID> {

    private static final String BINDING_COLUMNS = """
            b.id, b.principal_kind, b.principal_id, r.id, r.value, r.name, r.type, r.internal, w.id, w.name, b.source,
            (SELECT g.display_name FROM groups g WHERE b.principal_kind = 'group' AND g.id = b.principal_id)
            """;

    private static final String OF_PRINCIPAL = "SELECT " + BINDING_COLUMNS + """
              FROM role_bindings b JOIN roles r ON r.id = b.role_id LEFT JOIN workspaces w ON w.id = b.workspace_id
             WHERE b.org_id = :org AND b.principal_kind = :kind AND b.principal_id = :principal
             ORDER BY r.name, w.name NULLS FIRST
            """;

    private static final String OF_ROLE = "SELECT " + BINDING_COLUMNS + """
              FROM role_bindings b JOIN roles r ON r.id = b.role_id LEFT JOIN workspaces w ON w.id = b.workspace_id
             WHERE b.org_id = :org AND b.role_id = :role
             ORDER BY b.principal_kind, b.created_at, b.id
            """;

    /** The groups containing the user, directly or through nested groups (cycles tolerated). */
    static final String GROUPS_OF_USER = """
            WITH RECURSIVE memberships(group_id) AS (
                SELECT gm.group_id FROM group_members gm WHERE gm.org_id = :org AND gm.member_id = :user
                UNION
                SELECT gm.group_id FROM group_members gm JOIN memberships m ON gm.member_id = m.group_id
                 WHERE gm.member_type = 'Group')
            """;

    /** The group and every group containing it, directly or through nested groups (cycles tolerated). */
    static final String GROUP_AND_ANCESTORS = """
            WITH RECURSIVE memberships(group_id) AS (
                SELECT CAST(:group AS uuid)
                UNION
                SELECT gm.group_id FROM group_members gm JOIN memberships m ON gm.member_id = m.group_id
                 WHERE gm.member_type = 'Group')
            """;

    private static final String OF_GROUP_WITH_ANCESTORS = GROUP_AND_ANCESTORS + "SELECT " + BINDING_COLUMNS + """
              FROM role_bindings b JOIN roles r ON r.id = b.role_id LEFT JOIN workspaces w ON w.id = b.workspace_id
             WHERE b.org_id = :org AND b.principal_kind = 'group' AND b.principal_id IN (SELECT group_id FROM memberships)
             ORDER BY r.name, w.name NULLS FIRST
            """;

    private static final String OF_USER_WITH_GROUPS = GROUPS_OF_USER + "SELECT " + BINDING_COLUMNS + """
              FROM role_bindings b JOIN roles r ON r.id = b.role_id LEFT JOIN workspaces w ON w.id = b.workspace_id
             WHERE b.org_id = :org
               AND ((b.principal_kind = 'user' AND b.principal_id = :user)
                    OR (b.principal_kind = 'group' AND b.principal_id IN (SELECT group_id FROM memberships)))
             ORDER BY r.name, w.name NULLS FIRST
            """;

    /** Groups holding Organization Owner at organization scope, and every group nested in them. */
    private static final String OWNER_GROUPS = """
            WITH RECURSIVE owner_groups(group_id) AS (
                SELECT b.principal_id FROM role_bindings b
                 WHERE b.org_id = :org AND b.role_id = :owner AND b.principal_kind = 'group' AND b.workspace_id IS NULL
                UNION
                SELECT gm.member_id FROM group_members gm JOIN owner_groups o ON gm.group_id = o.group_id
                 WHERE gm.member_type = 'Group')
            """;

    private static final String OWNERS = OWNER_GROUPS + """
            , owners(user_id) AS (
                SELECT b.principal_id FROM role_bindings b
                 WHERE b.org_id = :org AND b.role_id = :owner AND b.principal_kind = 'user' AND b.workspace_id IS NULL
                UNION ALL
                SELECT gm.member_id FROM group_members gm
                 WHERE gm.group_id IN (SELECT group_id FROM owner_groups) AND gm.member_type = 'User')
            """;

    private static final String HAS_ACTIVE_OWNER = OWNERS + """
            SELECT EXISTS (SELECT 1 FROM users u WHERE u.org_id = :org AND u.active AND u.id IN (SELECT user_id FROM owners))
            """;

    /** Walks up from the user (index lookups by member), so that it stays cheap in a generic plan. */
    private static final String IS_ACTIVE_OWNER = GROUPS_OF_USER + """
            SELECT EXISTS (SELECT 1 FROM users u WHERE u.org_id = :org AND u.id = :user AND u.active)
               AND (EXISTS (SELECT 1 FROM role_bindings b
                             WHERE b.org_id = :org AND b.principal_kind = 'user' AND b.principal_id = :user
                               AND b.role_id = :owner AND b.workspace_id IS NULL)
                    OR EXISTS (SELECT 1 FROM role_bindings b
                                WHERE b.org_id = :org AND b.principal_kind = 'group' AND b.role_id = :owner
                                  AND b.workspace_id IS NULL AND b.principal_id IN (SELECT group_id FROM memberships)))
            """;

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

    /** Group {@code :group} and the groups nested in it, then the users in any of them. */
    private static final String SUBGROUPS_AND_THEIR_USERS = """
            subgroups(group_id) AS (
                SELECT CAST(:group AS uuid)
                UNION
                SELECT gm.member_id FROM group_members gm JOIN subgroups s ON gm.group_id = s.group_id
                 WHERE gm.member_type = 'Group'
            ), targets(user_id) AS (
                SELECT DISTINCT gm.member_id FROM group_members gm
                 WHERE gm.group_id IN (SELECT group_id FROM subgroups) AND gm.member_type = 'User'
            """;

    /** The users in group {@code :group}, directly or through nested groups. */
    private static final String USERS_UNDER_GROUP = SUBGROUPS_AND_THEIR_USERS + ")\n";

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
                SELECT m.user_id, gm.group_id FROM group_members gm JOIN memberships m ON gm.member_id = m.group_id
                 WHERE gm.member_type = 'Group'
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
    private static final String RECONCILE_FALLBACK_OF_USER = GROUPS_OF_USER + """
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
    private static final String REMEMBER_USERS_UNDER_GROUP = "WITH RECURSIVE " + USERS_UNDER_GROUP + """
            INSERT INTO fallback_candidates (user_id)
            SELECT t.user_id FROM targets t
             WHERE NOT EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'user'
                                  AND b.principal_id = t.user_id AND b.source <> 'system')
            ON CONFLICT DO NOTHING
            """;

    /** The users in group {@code :group} now (nested too), and those noted before the change. */
    private static final String USERS_UNDER_GROUP_AND_REMEMBERED = SUBGROUPS_AND_THEIR_USERS + """
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
                       SELECT gm.group_id FROM group_members gm JOIN memberships m ON gm.member_id = m.group_id
                        WHERE gm.member_type = 'Group')
                   SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'group'
                      AND b.principal_id IN (SELECT group_id FROM memberships))
             ORDER BY u.user_name
             LIMIT 5
            """;

    public Uni<List<BindingRow>> ofPrincipal(UUID orgId, RoleBindingEntity.PrincipalKind kind, UUID principalId) {
        return getSession().chain(session -> session.createNativeQuery(OF_PRINCIPAL, Object[].class)
                .setParameter("org", orgId).setParameter("kind", kind.wire()).setParameter("principal", principalId)
                .getResultList())
                .map(rows -> rows.stream().map(RoleBindingRepository::toRow).toList());
    }

    /** A group's role bindings as {@code {"roles": [...]}} (null when it has none), as a read of the group shows them. */
    private static final String GROUP_ROLES_JSON = "SELECT CAST(json_build_object('roles', "
            + UserRepository.rolesArray("g", "group") + ") AS text) FROM groups g WHERE g.org_id = :org AND g.id = :group";

    /** The group's bindings as JSON, read in the caller's transaction; null when there is no such group. */
    public Uni<String> groupRolesJson(UUID orgId, UUID groupId) {
        return getSession().chain(session -> session.createNativeQuery(GROUP_ROLES_JSON, String.class)
                .setParameter("org", orgId).setParameter("group", groupId).getResultList())
                .map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    /** The user's direct bindings and those of every group containing it. */
    public Uni<List<BindingRow>> reachingUser(UUID orgId, UUID userId) {
        return getSession().chain(session -> session.createNativeQuery(OF_USER_WITH_GROUPS, Object[].class)
                .setParameter("org", orgId).setParameter("user", userId).getResultList())
                .map(rows -> rows.stream().map(RoleBindingRepository::toRow).toList());
    }

    /** The group's own bindings and those of every group containing it (nested too), as a member inherits them. */
    public Uni<List<BindingRow>> reachingGroup(UUID orgId, UUID groupId) {
        return getSession().chain(session -> session.createNativeQuery(OF_GROUP_WITH_ANCESTORS, Object[].class)
                .setParameter("org", orgId).setParameter("group", groupId).getResultList())
                .map(rows -> rows.stream().map(RoleBindingRepository::toRow).toList());
    }

    /** The users a binding scoped to the workspace reaches: bound directly, or members of bound groups (nested too). */
    private static final String USERS_REACHED_IN_WORKSPACE = """
            WITH RECURSIVE subgroups(group_id) AS (
                SELECT b.principal_id FROM role_bindings b
                 WHERE b.org_id = :org AND b.workspace_id = :workspace AND b.principal_kind = 'group'
                UNION
                SELECT gm.member_id FROM group_members gm JOIN subgroups s ON gm.group_id = s.group_id
                 WHERE gm.member_type = 'Group')
            SELECT b.principal_id FROM role_bindings b
             WHERE b.org_id = :org AND b.workspace_id = :workspace AND b.principal_kind = 'user'
            UNION
            SELECT gm.member_id FROM group_members gm
             WHERE gm.group_id IN (SELECT group_id FROM subgroups) AND gm.member_type = 'User'
            """;

    public Uni<List<UUID>> usersReachedInWorkspace(UUID orgId, UUID workspaceId) {
        return getSession().chain(session -> session.createNativeQuery(USERS_REACHED_IN_WORKSPACE, UUID.class)
                .setParameter("org", orgId).setParameter("workspace", workspaceId).getResultList());
    }

    /**
     * The organization's fallback role changed: users holding the old one as fallback ({@code system}) hold the new one
     * instead (or just lose the old one if they hold the new one already).
     *
     * @return how many users' fallback bindings moved or went
     */
    public Uni<Integer> moveFallback(UUID orgId, UUID fromRoleId, UUID toRoleId) {
        return getSession().chain(session -> session.createNativeQuery("""
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

    public Uni<List<BindingRow>> ofRole(UUID orgId, UUID roleId) {
        return getSession().chain(session -> session.createNativeQuery(OF_ROLE, Object[].class)
                .setParameter("org", orgId).setParameter("role", roleId).getResultList())
                .map(rows -> rows.stream().map(RoleBindingRepository::toRow).toList());
    }

    private static final String MEMBERS_OF_ROLE = """
            SELECT b.principal_kind, b.principal_id, COALESCE(u.user_name, g.display_name, k.name), w.name, b.source,
                   b.id, CASE WHEN b.principal_kind = 'user' THEN u.display_name ELSE COALESCE(g.display_name, k.name) END,
                   u.updated_at, k.last_used_at
              FROM role_bindings b
              LEFT JOIN users u ON b.principal_kind = 'user' AND u.id = b.principal_id
              LEFT JOIN groups g ON b.principal_kind = 'group' AND g.id = b.principal_id
              LEFT JOIN access_keys k ON b.principal_kind = 'access_key' AND k.id = b.principal_id
              LEFT JOIN workspaces w ON w.id = b.workspace_id
             WHERE b.org_id = :org AND b.role_id = :role
             ORDER BY b.principal_kind DESC, 3, b.id
            """;

    public Uni<List<RoleMember>> membersOf(UUID orgId, UUID roleId) {
        return getSession().chain(session -> session.createNativeQuery(MEMBERS_OF_ROLE, Object[].class)
                .setParameter("org", orgId).setParameter("role", roleId).getResultList())
                .map(rows -> rows.stream().map(row -> new RoleMember((String) row[0], (UUID) row[1], (String) row[2],
                        (String) row[3], (String) row[4], (UUID) row[5], (String) row[6], NativeRows.instant(row[7]),
                        NativeRows.instant(row[8]))).toList());
    }

    /** The users holding the role, directly or through groups. */
    public Uni<List<UUID>> usersOf(UUID roleId) {
        return getSession().chain(session -> session
                .createNativeQuery("SELECT u FROM role_users(:role) AS u", UUID.class)
                .setParameter("role", roleId).getResultList());
    }

    /** What kind of principal of the organization the id names: user, group or access_key; null when none. */
    public Uni<String> principalKindOf(UUID orgId, UUID id) {
        return getSession().chain(session -> session.createNativeQuery("""
                SELECT 'user' FROM users WHERE org_id = :org AND id = :id
                UNION ALL SELECT 'group' FROM groups WHERE org_id = :org AND id = :id
                UNION ALL SELECT 'access_key' FROM access_keys WHERE org_id = :org AND id = :id AND revoked_at IS NULL
                """, String.class).setParameter("org", orgId).setParameter("id", id).getResultList())
                .map(kinds -> kinds.isEmpty() ? null : kinds.get(0));
    }

    public Uni<Long> deleteAllOf(UUID orgId, RoleBindingEntity.PrincipalKind kind, UUID principalId) {
        return delete("orgId = ?1 and principalKind = ?2 and principalId = ?3", orgId, kind.wire(), principalId);
    }

    public Uni<Long> deleteByIds(UUID orgId, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        return delete("orgId = ?1 and id in ?2", orgId, List.copyOf(ids));
    }

    public Uni<Integer> changeSource(UUID orgId, UUID bindingId, RoleBindingEntity.Source source) {
        return update("source = ?1 where orgId = ?2 and id = ?3", source.wire(), orgId, bindingId);
    }

    /**
     * Serialises, per organization, the transactions that may take Organization Owner away from someone, so that two of
     * them cannot each see the other's owner and both remove theirs (rule 3).
     */
    public Uni<Void> lockOwners(UUID orgId) {
        return getSession().chain(session -> session
                .createNativeQuery("SELECT CAST(pg_advisory_xact_lock(8207412, hashtext(CAST(:org AS text))) AS text)")
                .setParameter("org", orgId.toString()).getSingleResult())
                .replaceWithVoid();
    }

    public Uni<Boolean> hasActiveOwner(UUID orgId, UUID ownerRoleId) {
        return exists(HAS_ACTIVE_OWNER, orgId, ownerRoleId, null);
    }

    public Uni<Boolean> isActiveOwner(UUID orgId, UUID ownerRoleId, UUID userId) {
        return exists(IS_ACTIVE_OWNER, orgId, ownerRoleId, userId);
    }

    private static final String GRANT_FALLBACK = """
            INSERT INTO role_bindings (id, org_id, principal_kind, principal_id, role_id, workspace_id, source)
            SELECT gen_random_uuid(), o.id, 'user', :user, r.id, NULL, 'system'
              FROM organizations o JOIN roles r ON r.org_id = o.id AND r.value = o.settings ->> 'fallbackRole'
             WHERE o.id = :org
            """;

    /** Binds the fallback role to a user just created without roles (no group can hold it yet). */
    public Uni<Integer> grantFallback(UUID orgId, UUID userId) {
        return getSession().chain(session -> session.createNativeQuery(GRANT_FALLBACK)
                .setParameter("org", orgId).setParameter("user", userId).executeUpdate());
    }

    /** @return how many bindings were added or removed */
    public Uni<Long> reconcileFallback(UUID orgId, Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        if (userIds.size() == 1) {
            return getSession().chain(session -> session.createNativeQuery(RECONCILE_FALLBACK_OF_USER, Long.class)
                    .setParameter("org", orgId).setParameter("user", userIds.iterator().next()).getSingleResult());
        }
        return getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + LISTED_USERS + RECONCILE_FALLBACK, Long.class)
                .setParameter("org", orgId).setParameter("users", joined(userIds)).getSingleResult());
    }

    /** What a group's role bindings reach: whether it or a group containing it holds a role, and Organization Owner. */
    public record GroupReach(boolean grantsRoles, boolean grantsOwner) {
    }

    private static final String GROUP_REACH = """
            WITH RECURSIVE up(group_id) AS (
                SELECT CAST(:group AS uuid)
                UNION
                SELECT gm.group_id FROM group_members gm JOIN up ON gm.member_id = up.group_id
                 WHERE gm.member_type = 'Group')
            SELECT EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'group'
                              AND b.principal_id IN (SELECT group_id FROM up)),
                   EXISTS (SELECT 1 FROM role_bindings b JOIN roles r ON r.id = b.role_id
                            WHERE b.org_id = :org AND b.principal_kind = 'group' AND b.workspace_id IS NULL
                              AND r.value = 'organization-owner' AND b.principal_id IN (SELECT group_id FROM up))
             WHERE EXISTS (SELECT 1 FROM role_bindings b WHERE b.org_id = :org AND b.principal_kind = 'group')
            """;

    /** Nothing when the organization binds no role to any group (one index probe), else one walk up the nesting. */
    public Uni<GroupReach> reachOf(UUID orgId, UUID groupId) {
        return getSession().chain(session -> session.createNativeQuery(GROUP_REACH, Object[].class)
                .setParameter("org", orgId).setParameter("group", groupId).getResultList())
                .map(rows -> rows.isEmpty() ? new GroupReach(false, false)
                        : new GroupReach((Boolean) rows.get(0)[0], (Boolean) rows.get(0)[1]));
    }

    private static final String LOCK_USERS_OF_ROLE = """
            SELECT count(*) FROM (SELECT u.id FROM users u
                                   WHERE u.org_id = :org AND u.id IN (SELECT role_users(CAST(:role AS uuid)))
                                   ORDER BY u.id FOR NO KEY UPDATE) AS locked
            """;

    /**
     * Locks the rows of the users holding the role (directly or through groups), in id order, before the role's own
     * row: a role's deletion and a concurrent change to a holder's other roles then apply one after the other (rule 8).
     */
    public Uni<Long> lockUsersOfRole(UUID orgId, UUID roleId) {
        return getSession().chain(session -> session.createNativeQuery(LOCK_USERS_OF_ROLE, Long.class)
                .setParameter("org", orgId).setParameter("role", roleId.toString()).getSingleResult());
    }

    private static final String LOCK_USERS_UNDER_GROUP = "WITH RECURSIVE " + USERS_UNDER_GROUP + """
            SELECT count(*) FROM (SELECT u.id FROM users u WHERE u.org_id = :org AND u.id IN (SELECT user_id FROM targets)
                                   ORDER BY u.id FOR NO KEY UPDATE) AS locked
            """;

    /**
     * Locks the rows of the users in the group (nested too) until the transaction ends, in id order, as a write to one
     * of them locks it: a change that may take the group's roles from its members and a concurrent change to a member's
     * own roles then apply one after the other, and the later one sees what the earlier one left (rule 1).
     */
    public Uni<Long> lockUsersUnderGroup(UUID orgId, UUID groupId) {
        return getSession().chain(session -> session.createNativeQuery(LOCK_USERS_UNDER_GROUP, Long.class)
                .setParameter("org", orgId).setParameter("group", groupId).getSingleResult());
    }

    /**
     * Notes, in the caller's transaction, the users in the group (nested too) that a change about to remove members or
     * the group may leave without a role; {@link #reconcileFallbackUnderGroupAndRemembered} settles them after it.
     *
     * @return how many users were noted
     */
    public Uni<Integer> rememberUsersUnderGroup(UUID orgId, UUID groupId) {
        return getSession().chain(session -> session.createNativeQuery(CREATE_FALLBACK_CANDIDATES).executeUpdate()
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
        return getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + USERS_UNDER_GROUP_AND_REMEMBERED + RECONCILE_FALLBACK, Long.class)
                .setParameter("org", orgId).setParameter("group", groupId).getSingleResult());
    }

    /** @return how many users without any direct binding got the fallback role (or, through groups, needed none) */
    public Uni<Long> reconcileFallbackOfUnbound(UUID orgId) {
        return getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + UNBOUND_USERS + RECONCILE_FALLBACK, Long.class)
                .setParameter("org", orgId).getSingleResult());
    }

    /** @return how many bindings were added or removed */
    public Uni<Long> reconcileFallbackUnderGroup(UUID orgId, UUID groupId) {
        return getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + USERS_UNDER_GROUP + RECONCILE_FALLBACK, Long.class)
                .setParameter("org", orgId).setParameter("group", groupId).getSingleResult());
    }

    /** Up to five userNames of the listed active users that hold no role at all. */
    public Uni<List<String>> usersWithoutRole(UUID orgId, Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + LISTED_USERS + USERS_WITHOUT_ROLE, String.class)
                .setParameter("org", orgId).setParameter("users", joined(userIds)).getResultList());
    }

    /** Up to five userNames of the active users in the group (also through nested groups) that hold no role at all. */
    public Uni<List<String>> usersWithoutRoleUnderGroup(UUID orgId, UUID groupId) {
        return getSession().chain(session -> session
                .createNativeQuery("WITH RECURSIVE " + USERS_UNDER_GROUP + USERS_WITHOUT_ROLE, String.class)
                .setParameter("org", orgId).setParameter("group", groupId).getResultList());
    }

    private Uni<Boolean> exists(String sql, UUID orgId, UUID ownerRoleId, UUID userId) {
        return getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Boolean.class).setParameter("org", orgId)
                    .setParameter("owner", ownerRoleId);
            if (userId != null) {
                query.setParameter("user", userId);
            }
            return query.getSingleResult();
        });
    }

    private static String joined(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(","));
    }

    private static BindingRow toRow(Object[] row) {
        return new BindingRow((UUID) row[0], (String) row[1], (UUID) row[2], (UUID) row[3], (String) row[4],
                (String) row[5], (String) row[6], (Boolean) row[7], (UUID) row[8], (String) row[9], (String) row[10],
                (String) row[11]);
    }
}
