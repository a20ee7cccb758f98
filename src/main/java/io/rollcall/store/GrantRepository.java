package io.rollcall.store;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;


import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.Grant;
import io.rollcall.access.Statement;
import io.smallrye.mutiny.Uni;

/**
 * Reads the statements that reach a principal through its role bindings, flattened into {@link Grant}s for the
 * {@link io.rollcall.access.PolicyEvaluator}: bindings → roles → policies → statements, in one query.
 */
@ApplicationScoped
public class GrantRepository {

    /** The statements reached through the bindings the caller's WHERE clause selects (alias {@code b}). */
    private static final String GRANTS_OF_BINDINGS = """
            SELECT r.value, CAST(b.workspace_id AS text), p.name, s.effect,
                   array_to_string(s.permissions, ','), array_to_string(s.resources, ',')
              FROM role_bindings b
              JOIN roles r ON r.id = b.role_id
              JOIN role_policies rp ON rp.role_id = r.id
              JOIN policies p ON p.id = rp.policy_id
              JOIN policy_statements s ON s.policy_id = p.id
            """;

    private static final String GRANTS_OF_PRINCIPAL = GRANTS_OF_BINDINGS + """
             WHERE b.org_id = :org AND b.principal_kind = :kind AND b.principal_id = :principal
             ORDER BY r.value, p.name, s.position
            """;

    private static final String GRANTS_REACHING_USER = NestedGroups.GROUPS_OF_USER + GRANTS_OF_BINDINGS + """
             WHERE b.org_id = :org
               AND ((b.principal_kind = 'user' AND b.principal_id = :user)
                    OR (b.principal_kind = 'group' AND b.principal_id IN (SELECT group_id FROM memberships)))
             ORDER BY r.value, p.name, s.position
            """;

    private static final String GRANTS_OF_ROLE = """
            SELECT r.value, CAST(NULL AS text), p.name, s.effect,
                   array_to_string(s.permissions, ','), array_to_string(s.resources, ',')
              FROM roles r
              JOIN role_policies rp ON rp.role_id = r.id
              JOIN policies p ON p.id = rp.policy_id
              JOIN policy_statements s ON s.policy_id = p.id
             WHERE r.org_id = :org AND r.id = :role
             ORDER BY p.name, s.position
            """;

    private static final String BINDING_GRANT_COLUMNS = """
            SELECT b.id, r.value, CAST(b.workspace_id AS text), p.name, s.effect,
                   array_to_string(s.permissions, ','), array_to_string(s.resources, ',')
              FROM role_bindings b
              JOIN roles r ON r.id = b.role_id
              JOIN role_policies rp ON rp.role_id = r.id
              JOIN policies p ON p.id = rp.policy_id
              JOIN policy_statements s ON s.policy_id = p.id
            """;

    private static final String BINDING_GRANTS_OF_PRINCIPAL = BINDING_GRANT_COLUMNS + """
             WHERE b.org_id = :org AND b.principal_kind = :kind AND b.principal_id = :principal
             ORDER BY r.value, b.id, p.name, s.position
            """;

    /** The user's own bindings and those of every group containing it, directly or through nested groups. */
    private static final String BINDING_GRANTS_REACHING_USER = NestedGroups.GROUPS_OF_USER
            + BINDING_GRANT_COLUMNS + """
             WHERE b.org_id = :org
               AND ((b.principal_kind = 'user' AND b.principal_id = :user)
                    OR (b.principal_kind = 'group' AND b.principal_id IN (SELECT group_id FROM memberships)))
             ORDER BY r.value, b.id, p.name, s.position
            """;

    /** The group's own bindings and those of every group containing it, directly or through nested groups. */
    private static final String BINDING_GRANTS_REACHING_GROUP = NestedGroups.GROUP_AND_ANCESTORS
            + BINDING_GRANT_COLUMNS + """
             WHERE b.org_id = :org AND b.principal_kind = 'group' AND b.principal_id IN (SELECT group_id FROM memberships)
             ORDER BY r.value, b.id, p.name, s.position
            """;

    /** The principal's own grants, each with the binding it comes through. */
    public Uni<List<BindingGrant>> bindingGrantsOf(UUID orgId, RoleBindingEntity.PrincipalKind kind, UUID principalId) {
        return rows(BINDING_GRANTS_OF_PRINCIPAL, Map.of("org", orgId, "kind", kind.wire(), "principal", principalId))
                .map(rows -> rows.stream().map(GrantRepository::toBindingGrant).toList());
    }

    /** The grants reaching a user directly and through its groups (nested too), each with its binding. */
    public Uni<List<BindingGrant>> bindingGrantsReachingUser(UUID orgId, UUID userId) {
        return rows(BINDING_GRANTS_REACHING_USER, Map.of("org", orgId, "user", userId))
                .map(rows -> rows.stream().map(GrantRepository::toBindingGrant).toList());
    }

    /** The grants reaching a group directly and through the groups containing it (nested too), each with its binding. */
    public Uni<List<BindingGrant>> bindingGrantsReachingGroup(UUID orgId, UUID groupId) {
        return rows(BINDING_GRANTS_REACHING_GROUP, Map.of("org", orgId, "group", groupId))
                .map(rows -> rows.stream().map(GrantRepository::toBindingGrant).toList());
    }

    /** What the role grants when bound at organization scope. */
    public Uni<List<Grant>> grantsOfRole(UUID orgId, UUID roleId) {
        return rows(GRANTS_OF_ROLE, Map.of("org", orgId, "role", roleId))
                .map(rows -> rows.stream().map(GrantRepository::toGrant).toList());
    }

    public Uni<List<Grant>> grantsOf(UUID orgId, RoleBindingEntity.PrincipalKind kind, UUID principalId) {
        return rows(GRANTS_OF_PRINCIPAL, Map.of("org", orgId, "kind", kind.wire(), "principal", principalId))
                .map(rows -> rows.stream().map(GrantRepository::toGrant).toList());
    }

    /** What reaches the user through its own bindings and those of every group containing it (nested too). */
    public Uni<List<Grant>> grantsReachingUser(UUID orgId, UUID userId) {
        return rows(GRANTS_REACHING_USER, Map.of("org", orgId, "user", userId))
                .map(rows -> rows.stream().map(GrantRepository::toGrant).toList());
    }

    private static Uni<List<Object[]>> rows(String sql, Map<String, Object> parameters) {
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class);
            parameters.forEach(query::setParameter);
            return query.getResultList();
        });
    }

    private static BindingGrant toBindingGrant(Object[] row) {
        return new BindingGrant((UUID) row[0], toGrant(Arrays.copyOfRange(row, 1, row.length)));
    }

    private static Grant toGrant(Object[] row) {
        Statement statement = new Statement(Statement.Effect.fromWire((String) row[3]),
                Arrays.asList(((String) row[4]).split(",")), Arrays.asList(((String) row[5]).split(",")));
        return new Grant((String) row[0], (String) row[1], (String) row[2], statement);
    }

}
