package io.rollcall.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/**
 * Role bindings, read and written inside the caller's transaction: who holds what, what reaches a user or a group
 * through nested groups, and the locks the role rules take. The rules' own statements are in {@link OwnerRuleRepository}
 * (who holds Organization Owner) and {@link FallbackRoleRepository} (who keeps the organization's fallback role).
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

    /** Run on every user PATCH and PUT, so not as a Hibernate native query ({@link SessionStatements}). */
    private static final SessionStatements.Named OF_PRINCIPAL_POSITIONAL = SessionStatements.Named.of(OF_PRINCIPAL);

    private static final String OF_ROLE = "SELECT " + BINDING_COLUMNS + """
              FROM role_bindings b JOIN roles r ON r.id = b.role_id LEFT JOIN workspaces w ON w.id = b.workspace_id
             WHERE b.org_id = :org AND b.role_id = :role
             ORDER BY b.principal_kind, b.created_at, b.id
            """;

    private static final String OF_GROUP_WITH_ANCESTORS = NestedGroups.GROUP_AND_ANCESTORS + "SELECT " + BINDING_COLUMNS + """
              FROM role_bindings b JOIN roles r ON r.id = b.role_id LEFT JOIN workspaces w ON w.id = b.workspace_id
             WHERE b.org_id = :org AND b.principal_kind = 'group' AND b.principal_id IN (SELECT group_id FROM memberships)
             ORDER BY r.name, w.name NULLS FIRST
            """;

    private static final String OF_USER_WITH_GROUPS = NestedGroups.GROUPS_OF_USER + "SELECT " + BINDING_COLUMNS + """
              FROM role_bindings b JOIN roles r ON r.id = b.role_id LEFT JOIN workspaces w ON w.id = b.workspace_id
             WHERE b.org_id = :org
               AND ((b.principal_kind = 'user' AND b.principal_id = :user)
                    OR (b.principal_kind = 'group' AND b.principal_id IN (SELECT group_id FROM memberships)))
             ORDER BY r.name, w.name NULLS FIRST
            """;

    public Uni<List<BindingRow>> ofPrincipal(UUID orgId, RoleBindingEntity.PrincipalKind kind, UUID principalId) {
        return SessionStatements.select(OF_PRINCIPAL_POSITIONAL, Map.of("org", orgId, "kind", kind.wire(), "principal",
                principalId)).map(rows -> rows.stream().map(RoleBindingRepository::toRow).toList());
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
                """ + NestedGroups.nestedIn("subgroups", "gm.member_id") + """
                )
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

    public Uni<List<RoleHolder>> membersOf(UUID orgId, UUID roleId) {
        return getSession().chain(session -> session.createNativeQuery(MEMBERS_OF_ROLE, Object[].class)
                .setParameter("org", orgId).setParameter("role", roleId).getResultList())
                .map(rows -> rows.stream().map(row -> new RoleHolder((String) row[0], (UUID) row[1], (String) row[2],
                        (String) row[3], (String) row[4], (UUID) row[5], (String) row[6], NativeRows.instant(row[7]),
                        NativeRows.instant(row[8]), null, null)).toList());
    }

    /**
     * Every holder of the role: its bindings (groups, users, access keys) and the users of each bound group and of the
     * groups nested in it, once per bound group they hold it through ({@code via}, with that group's binding).
     */
    private static final String HOLDERS_OF_ROLE = """
            WITH RECURSIVE reached(group_id, binding_id) AS (
                SELECT b.principal_id, b.id FROM role_bindings b
                 WHERE b.org_id = :org AND b.role_id = :role AND b.principal_kind = 'group'
                UNION
                SELECT gm.member_id, reached.binding_id FROM group_members gm JOIN reached ON gm.group_id = reached.group_id
                 WHERE gm.org_id = :org AND gm.member_type = 'Group'
            ), holders(kind, id, binding_id, via) AS (
                SELECT b.principal_kind, b.principal_id, b.id, CAST(NULL AS uuid) FROM role_bindings b
                 WHERE b.org_id = :org AND b.role_id = :role
                UNION
                SELECT 'user', gm.member_id, reached.binding_id, via.principal_id
                  FROM reached JOIN group_members gm ON gm.group_id = reached.group_id AND gm.member_type = 'User'
                  JOIN role_bindings via ON via.id = reached.binding_id
                 WHERE gm.org_id = :org
            )
            """;

    private static final String HOLDERS_PAGE = HOLDERS_OF_ROLE + """
            SELECT h.kind, h.id, COALESCE(u.user_name, g.display_name, k.name), w.name, b.source, h.binding_id,
                   CASE WHEN h.kind = 'user' THEN u.display_name ELSE COALESCE(g.display_name, k.name) END,
                   u.updated_at, k.last_used_at, h.via, vg.display_name
              FROM holders h JOIN role_bindings b ON b.id = h.binding_id
              LEFT JOIN users u ON h.kind = 'user' AND u.id = h.id
              LEFT JOIN groups g ON h.kind = 'group' AND g.id = h.id
              LEFT JOIN access_keys k ON h.kind = 'access_key' AND k.id = h.id
              LEFT JOIN groups vg ON vg.id = h.via
              LEFT JOIN workspaces w ON w.id = b.workspace_id
             ORDER BY CASE h.kind WHEN 'group' THEN 0 WHEN 'user' THEN 1 ELSE 2 END, 3, h.id, h.via NULLS FIRST, h.binding_id
             LIMIT :limit OFFSET :offset
            """;

    private static final String HOLDERS_COUNT = HOLDERS_OF_ROLE + "SELECT count(*) FROM holders";

    /**
     * One page of the role's holders (groups first, then users by user name, then access keys), with how many there
     * are in all: users who hold it through a group are listed with the group ({@code via}).
     */
    public Uni<Page<RoleHolder>> holdersOf(UUID orgId, UUID roleId, int offset, int limit) {
        return getSession().chain(session -> session.createNativeQuery(HOLDERS_COUNT, Long.class)
                .setParameter("org", orgId).setParameter("role", roleId).getSingleResult()
                .chain(total -> limit == 0 || offset >= total ? Uni.createFrom().item(new Page<RoleHolder>(total, List.of()))
                        : session.createNativeQuery(HOLDERS_PAGE, Object[].class)
                                .setParameter("org", orgId).setParameter("role", roleId)
                                .setParameter("limit", limit).setParameter("offset", offset).getResultList()
                                .map(rows -> new Page<>(total, rows.stream().map(RoleBindingRepository::holder).toList()))));
    }

    private static RoleHolder holder(Object[] row) {
        return new RoleHolder((String) row[0], (UUID) row[1], (String) row[2], (String) row[3], (String) row[4],
                (UUID) row[5], (String) row[6], NativeRows.instant(row[7]), NativeRows.instant(row[8]), (UUID) row[9],
                (String) row[10]);
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

    /** What a group's role bindings reach: whether it or a group containing it holds a role, and Organization Owner. */
    public record GroupReach(boolean grantsRoles, boolean grantsOwner) {
    }

    private static final String GROUP_REACH = """
            WITH RECURSIVE up(group_id) AS (
                SELECT CAST(:group AS uuid)
                UNION
                """ + NestedGroups.containing("up", "gm.group_id") + """
                )
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

    private static final String LOCK_USERS_UNDER_GROUP = "WITH RECURSIVE " + NestedGroups.USERS_UNDER_GROUP + """
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

    private static BindingRow toRow(Object[] row) {
        return new BindingRow((UUID) row[0], (String) row[1], (UUID) row[2], (UUID) row[3], (String) row[4],
                (String) row[5], (String) row[6], (Boolean) row[7], (UUID) row[8], (String) row[9], (String) row[10],
                (String) row[11]);
    }
}
