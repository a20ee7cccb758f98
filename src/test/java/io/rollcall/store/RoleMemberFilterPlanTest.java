package io.rollcall.store;

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
 * "Which roles is this principal bound to?" ({@code /Roles?filter=…:members.value eq "<id>"}) is answered by index
 * probes by principal, not by reading the bindings of every role: the plan of the exact condition the server runs, in
 * the generic form the server's {@code plan_cache_mode=force_generic_plan} uses, over the {@code scim_roles} view of an
 * organization whose fallback role holds 20,000 users (analysed; sequential scans disabled so that a small table cannot
 * hide a missing index).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RoleMemberFilterPlanTest {

    private static final UUID ORG = UUID.randomUUID();
    private static final UUID PRINCIPAL = UUID.randomUUID();
    private static boolean loaded;

    @Inject
    SchemaRegistry registry;

    private static synchronized void loadOrganization(Connection connection) throws SQLException {
        if (loaded) {
            return;
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO organizations (id, name) VALUES ('" + ORG + "', 'role-plans-" + ORG + "')");
            sql.execute("INSERT INTO roles (id, org_id, value, name, type) SELECT gen_random_uuid(), '" + ORG
                    + "', 'role-' || n, 'Role ' || n, 'custom' FROM generate_series(1, 30) AS n");
            // the fallback-like role: every user of the organization
            sql.execute("INSERT INTO role_bindings (id, org_id, principal_kind, principal_id, role_id, source) "
                    + "SELECT gen_random_uuid(), '" + ORG + "', 'user', gen_random_uuid(), r.id, 'system' "
                    + "FROM roles r, generate_series(1, 20000) WHERE r.org_id = '" + ORG + "' AND r.value = 'role-1'");
            sql.execute("INSERT INTO role_bindings (id, org_id, principal_kind, principal_id, role_id, source) "
                    + "SELECT gen_random_uuid(), '" + ORG + "', 'group', gen_random_uuid(), r.id, 'scim' "
                    + "FROM roles r, generate_series(1, 50) WHERE r.org_id = '" + ORG + "'");
            sql.execute("INSERT INTO role_bindings (id, org_id, principal_kind, principal_id, role_id, source) "
                    + "SELECT gen_random_uuid(), '" + ORG + "', 'user', '" + PRINCIPAL + "', r.id, 'scim' "
                    + "FROM roles r WHERE r.org_id = '" + ORG + "' AND r.value IN ('role-2', 'role-3')");
            sql.execute("ANALYZE roles");
            sql.execute("ANALYZE role_bindings");
        }
        loaded = true;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "urn:rollcall:scim:schemas:extension:access:2.0:Role:members.value eq \"%s\"",
            "urn:rollcall:scim:schemas:extension:access:2.0:Role:members[value eq \"%s\"]",
            "urn:rollcall:scim:schemas:extension:access:2.0:Role:members[value eq \"%s\" and type eq \"User\"]" })
    void theRolesOfAPrincipalAreFoundByIndexProbesByPrincipal(String filter) throws Exception {
        ResourceSchema schema = registry.resourceSchema("Role").orElseThrow();
        SqlFragment condition = FilterToSql.translate(Filter.fromString(filter.formatted(PRINCIPAL)), ScimTables.ROLES,
                schema, 2);
        String sql = "SELECT r.id FROM scim_roles r WHERE r.org_id = $1 AND (" + condition.sql() + ")";
        JsonNode plan = genericPlan(sql);
        PlanAssertions.assertIndexAnswers(plan, "a principal index answers the principal", "principal_id",
                "role_bindings_unique", "role_bindings_org_principal");
        PlanAssertions.assertIndexNotRead(plan, "role_bindings_org_role");
        PlanAssertions.assertIndexNotRead(plan, "role_bindings_role");
        PlanAssertions.assertNoSeqScan(plan);
    }

    private static JsonNode genericPlan(String sql) throws SQLException {
        try (Connection connection = PlanAssertions.connectForGenericPlans()) {
            loadOrganization(connection);
            return PlanAssertions.genericPlanWithoutSeqScans(connection, sql);
        }
    }
}
