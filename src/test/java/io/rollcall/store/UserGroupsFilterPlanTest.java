package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.scim2.common.filters.Filter;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.scim.ResourceSchema;
import io.rollcall.scim.SchemaRegistry;
import io.rollcall.store.query.FilterToSql;
import io.rollcall.store.query.SqlFragment;
import io.rollcall.support.PostgresResource;
import jakarta.inject.Inject;

/**
 * "Which users are in group Eng, directly or through its nested groups?" ({@code /Users?filter=groups.display eq
 * "Eng"}) is answered from the groups' side — the groups of that name by {@code groups_org_display_name}, the groups
 * nested in them and their members by {@code group_members}' primary key, each user by its own primary key — not by
 * walking the groups of every user of the organization. The generic plan ({@code plan_cache_mode=force_generic_plan},
 * as the server runs) of the exact condition the server builds, over an organization of 20,000 users in 200 groups
 * (analysed; sequential scans disabled so that a small table cannot hide a missing index).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UserGroupsFilterPlanTest {

    private static final UUID ORG = UUID.randomUUID();
    private static boolean loaded;

    @Inject
    SchemaRegistry registry;

    private static synchronized void loadOrganization(Connection connection) throws SQLException {
        if (loaded) {
            return;
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO organizations (id, name) VALUES ('" + ORG + "', 'group-filter-plans-" + ORG + "')");
            sql.execute("INSERT INTO users (id, org_id, user_name, data) SELECT gen_random_uuid(), '" + ORG
                    + "', 'user-' || n || '@plans.example', '{}' FROM generate_series(1, 20000) AS n");
            sql.execute("INSERT INTO groups (id, org_id, display_name, data) SELECT gen_random_uuid(), '" + ORG
                    + "', 'Group ' || n, '{}' FROM generate_series(1, 200) AS n");
            // every user in one group; group n + 100 nested in group n for the first hundred
            sql.execute("INSERT INTO group_members (group_id, member_id, member_type, org_id) "
                    + "SELECT g.id, u.id, 'User', '" + ORG + "' FROM (SELECT id, row_number() OVER () % 200 AS k "
                    + "FROM users WHERE org_id = '" + ORG + "') u JOIN (SELECT id, row_number() OVER () % 200 AS k "
                    + "FROM groups WHERE org_id = '" + ORG + "') g ON g.k = u.k");
            sql.execute("INSERT INTO group_members (group_id, member_id, member_type, org_id) "
                    + "SELECT outer_group.id, inner_group.id, 'Group', '" + ORG + "' FROM groups outer_group "
                    + "JOIN groups inner_group ON inner_group.org_id = outer_group.org_id "
                    + "AND inner_group.display_name = 'Group ' || (substring(outer_group.display_name from 7)::int + 100) "
                    + "WHERE outer_group.org_id = '" + ORG + "'");
            sql.execute("ANALYZE users");
            sql.execute("ANALYZE groups");
            sql.execute("ANALYZE group_members");
        }
        loaded = true;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "groups.display eq \"Group 7\"",
            "groups[display eq \"Group 7\"]",
            "groups.value eq \"6f1e0c1a-4c53-4b8a-9d7e-2f3c1b0a9e8d\"" })
    void theUsersOfAGroupAreFoundFromTheGroupNotByWalkingEveryUsersGroups(String filter) throws Exception {
        ResourceSchema schema = registry.resourceSchema("User").orElseThrow();
        SqlFragment condition = FilterToSql.translate(Filter.fromString(filter), ScimTables.USERS, schema, 2);
        String sql = "SELECT u.id FROM users u WHERE u.org_id = $1 AND (" + condition.sql() + ")";
        JsonNode plan = genericPlan(sql);
        assertTrue(PlanAssertions.indexAnswers(plan, "groups_org_display_name", "display_name")
                || PlanAssertions.indexAnswers(plan, "groups_pkey", "id"),
                "the groups are not found by index:\n" + PlanAssertions.describe(plan));
        PlanAssertions.assertIndexAnswers(plan, "the members are read by group", "group_id", "group_members_pkey");
        PlanAssertions.assertIndexAnswers(plan, "the users are read by id", "id", "users_pkey");
        PlanAssertions.assertNoSeqScan(plan);
    }

    private static JsonNode genericPlan(String sql) throws SQLException {
        try (Connection connection = PlanAssertions.connectForGenericPlans()) {
            loadOrganization(connection);
            return PlanAssertions.genericPlanWithoutSeqScans(connection, sql);
        }
    }
}
