package io.rollcall.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
 * The identity providers' matching lookups (RFC 7644 §3.4.2.2 filters that Okta and Entra ID send before every create)
 * translate to SQL that PostgreSQL answers from an index: in the plan of the exact condition the server runs, the
 * expected index carries an {@code Index Cond} on the filtered expression (a whole-index scan under a {@code Filter}
 * does not count). The plans are taken on an organization of 3,000 users and 300 groups, analysed, so that the planner sees
 * realistic selectivity (an organization holds most rows of a table), with sequential scans disabled so that a small
 * table cannot hide a missing index.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class MatchingLookupPlansTest {

    private static final UUID ORG = UUID.randomUUID();
    private static boolean loaded;

    @Inject
    SchemaRegistry registry;

    private static synchronized void loadOrganization(Connection connection) throws SQLException {
        if (loaded) {
            return;
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO organizations (id, name) VALUES ('" + ORG + "', 'plans-" + ORG + "')");
            sql.execute("INSERT INTO users (id, org_id, user_name, external_id, display_name, active, data) "
                    + "SELECT gen_random_uuid(), '" + ORG + "', 'user' || n || '@acme.com', 'ext-' || n, 'User ' || n, true, "
                    + "jsonb_build_object('userName', 'user' || n || '@acme.com', 'emails', "
                    + "jsonb_build_array(jsonb_build_object('value', 'user' || n || '@acme.com', 'type', 'work'))) "
                    + "FROM generate_series(1, 3000) AS n");
            sql.execute("INSERT INTO groups (id, org_id, display_name, external_id, data) "
                    + "SELECT gen_random_uuid(), '" + ORG + "', 'Group ' || n, 'grp-' || n, "
                    + "jsonb_build_object('displayName', 'Group ' || n) FROM generate_series(1, 300) AS n");
            sql.execute("ANALYZE users");
            sql.execute("ANALYZE groups");
        }
        loaded = true;
    }

    @ParameterizedTest(name = "{0} → {2} on {3}")
    @CsvSource(delimiter = '|', value = {
            "User  | userName eq \"ana@acme.com\"                | users_org_user_name     | lower(user_name)",
            "User  | externalId eq \"00u1ana\"                   | users_org_external_id   | external_id",
            "User  | emails.value eq \"ana@acme.com\"            | users_emails            | scim_lower_values(",
            "User  | emails[value eq \"ana@acme.com\"]           | users_emails            | scim_lower_values(",
            "Group | displayName eq \"Engineering\"              | groups_org_display_name | lower(display_name)",
            "Group | externalId eq \"grp-1\"                     | groups_org_external_id  | external_id" })
    void rfc7644_3_4_2_2_matchingLookupIsAnsweredFromAnIndex(String resourceType, String filter, String index,
            String filtered) throws Exception {
        ResourceSchema schema = registry.resourceSchema(resourceType).orElseThrow();
        var table = resourceType.equals("User") ? ScimTables.USERS : ScimTables.GROUPS;
        SqlFragment condition = FilterToSql.translate(Filter.fromString(filter), table, schema, 2);
        String sql = "SELECT " + table.alias() + ".id FROM " + table.table() + " " + table.alias() + " WHERE "
                + table.alias() + ".org_id = ? AND (" + condition.sql().replaceAll("\\$\\d+", "?") + ")";
        JsonNode plan = explain(sql, condition.parameters());
        PlanAssertions.assertIndexAnswers(plan, "the index answers the filtered expression", filtered, index);
        PlanAssertions.assertNoSeqScan(plan);
    }

    private static JsonNode explain(String sql, List<Object> parameters) throws SQLException {
        try (Connection connection = PlanAssertions.connect()) {
            loadOrganization(connection);
            List<Object> bound = new ArrayList<>();
            bound.add(ORG);
            bound.addAll(parameters);
            return PlanAssertions.planWithoutSeqScans(connection, sql, bound);
        }
    }
}
