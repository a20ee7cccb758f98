package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.resource.KeysetPosition;
import io.rollcall.resource.Paging;
import io.rollcall.resource.ResourceQuery;
import io.rollcall.store.query.ResourceTable;
import io.rollcall.store.query.SortToSql;
import io.rollcall.support.PostgresResource;

/**
 * RFC 9865 cursor pages cost the same at any depth: on the default order (creation, then id) a keyset page is a range
 * scan of the table's (org_id, created_at, id) index that starts at the cursor's position — the position is an
 * {@code Index Cond}, not a filter over the rows before it — and needs no sort. Checked on the generic plan, as the
 * server's {@code plan_cache_mode=force_generic_plan} connections make it, over copies of the tables filled with 20,000
 * rows of the organization (and others of another), with sequential scans allowed.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class KeysetPlanTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 20_000;

    static Stream<Arguments> tables() {
        return Stream.of(Arguments.of(ScimTables.USERS, "users_org_created"),
                Arguments.of(ScimTables.GROUPS, "groups_org_created"),
                Arguments.of(ScimTables.ROLES, "roles_org_created (V13)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("tables")
    void rfc9865_2_aDeepKeysetPageOnTheDefaultOrderIsAnIndexRangeScanFromThePosition(ResourceTable table, String index)
            throws Exception {
        inFilledSchema((sql, org, middle) -> {
            PageStatement deep = ResourceReads.keysetStatement(table, org, null, SortToSql.order(null, false, table, null),
                    Paging.Keyset.after(middle, 100), ResourceReads.columns(table, null));
            PageStatement first = ResourceReads.keysetStatement(table, org, null,
                    SortToSql.order(null, false, table, null), Paging.Keyset.first(100),
                    ResourceReads.columns(table, null));

            JsonNode deepPlan = explain(sql, deep, "uuid, text, uuid, int");
            JsonNode firstPlan = explain(sql, first, "uuid, int");

            for (JsonNode plan : List.of(deepPlan, firstPlan)) {
                assertEquals(List.of(), nodes(plan, "Seq Scan", table.table().replace("scim_", "")), plan.toString());
                assertEquals(List.of(), nodes(plan, "Sort", null), "read in index order: " + plan);
            }
            List<String> conditions = indexConditions(deepPlan, table.table().replace("scim_", ""));
            assertEquals(1, conditions.size(), "one scan of " + index + ": " + deepPlan);
            assertTrue(conditions.get(0).contains("org_id = $1") && conditions.get(0).contains("ROW(created_at, id) >"),
                    "the position bounds the scan: " + conditions);
            assertFalse(indexConditions(firstPlan, table.table().replace("scim_", "")).isEmpty(),
                    "the first page too: " + firstPlan);
        });
    }

    /** Going back reads the same index backwards, from the position down, in the reversed order: no sort either. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("tables")
    void rfc9865_2_aDeepPageGoingBackIsTheSameIndexRangeScanReadBackwards(ResourceTable table, String index)
            throws Exception {
        inFilledSchema((sql, org, middle) -> {
            PageStatement back = ResourceReads.keysetStatement(table, org, null,
                    SortToSql.order(null, false, table, null), Paging.Keyset.before(middle, 100),
                    ResourceReads.columns(table, null));

            JsonNode plan = explain(sql, back, "uuid, text, uuid, int");

            assertEquals(List.of(), nodes(plan, "Seq Scan", table.table().replace("scim_", "")), plan.toString());
            assertEquals(List.of(), nodes(plan, "Sort", null), "read in index order: " + plan);
            List<String> conditions = indexConditions(plan, table.table().replace("scim_", ""));
            assertEquals(1, conditions.size(), "one scan of " + index + ": " + plan);
            assertTrue(conditions.get(0).contains("org_id = $1") && conditions.get(0).contains("ROW(created_at, id) <"),
                    "the position bounds the scan: " + conditions);
            assertTrue(plan.toString().contains("\"Scan Direction\":\"Backward\""), "read backwards: " + plan);
        });
    }

    @Test
    void rfc9865_3_aDeepPageOfTheRootSearchGoingBackRangeScansEachTableBackwardsFromThePosition() throws Exception {
        inFilledSchema((sql, org, middle) -> {
            ResourceQuery query = new ResourceQuery(null, null, false, Paging.Keyset.before(middle, 100), Set.of());
            PageStatement back = CrossTypeReads.statement(org, List.of(new CrossTypeReads.Part(ScimTables.USERS, null),
                    new CrossTypeReads.Part(ScimTables.GROUPS, null)), query);

            JsonNode plan = explain(sql, back, "uuid, text, uuid, int");

            assertEquals(List.of(), nodes(plan, "Seq Scan", null), plan.toString());
            assertEquals(List.of(), nodes(plan, "Sort", null), "each table read in index order, merged: " + plan);
            for (String table : List.of("users", "groups")) {
                List<String> conditions = indexConditions(plan, table);
                assertEquals(1, conditions.size(), table + ": " + plan);
                assertTrue(conditions.get(0).contains("ROW(created_at, id) <"),
                        "the position bounds each table's scan: " + conditions);
            }
        });
    }

    /** Each table's branch is ordered and limited on its own, so that the branches are range scans merged in order. */
    @Test
    void rfc9865_3_aDeepKeysetPageOfTheRootSearchRangeScansEachTableFromThePosition() throws Exception {
        inFilledSchema((sql, org, middle) -> {
            ResourceQuery query = new ResourceQuery(null, null, false, Paging.Keyset.after(middle, 100), Set.of());
            PageStatement deep = CrossTypeReads.statement(org, List.of(new CrossTypeReads.Part(ScimTables.USERS, null),
                    new CrossTypeReads.Part(ScimTables.GROUPS, null)), query);

            JsonNode plan = explain(sql, deep, "uuid, text, uuid, int");

            assertEquals(List.of(), nodes(plan, "Seq Scan", null), plan.toString());
            assertEquals(List.of(), nodes(plan, "Sort", null), "each table read in index order, merged: " + plan);
            for (String table : List.of("users", "groups")) {
                List<String> conditions = indexConditions(plan, table);
                assertEquals(1, conditions.size(), table + ": " + plan);
                assertTrue(conditions.get(0).contains("ROW(created_at, id) >"),
                        "the position bounds each table's scan: " + conditions);
            }
        });
    }

    private interface Check {
        void run(Statement sql, UUID org, KeysetPosition middle) throws Exception;
    }

    /**
     * Runs the check with the search path on copies of users, groups and roles (and the scim_roles view over the
     * copy) holding {@link #ROWS} rows of one organization and a quarter as many of another; the position is the
     * organization's middle user.
     */
    private static void inFilledSchema(Check check) throws Exception {
        String schema = "keyset_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = PlanAssertions.connect(); Statement sql = connection.createStatement()) {
            String view;
            try (ResultSet rows = sql.executeQuery("SELECT pg_get_viewdef('public.scim_roles'::regclass)")) {
                rows.next();
                view = rows.getString(1);
            }
            sql.execute("CREATE SCHEMA " + schema);
            try {
                for (String table : List.of("users", "groups", "roles")) {
                    sql.execute("CREATE TABLE " + schema + "." + table + " (LIKE public." + table
                            + " INCLUDING ALL) WITH (autovacuum_enabled = false)");
                }
                sql.execute("SET search_path = " + schema + ", public");
                sql.execute("CREATE VIEW scim_roles AS " + view);
                UUID org = UUID.randomUUID();
                UUID other = UUID.randomUUID();
                for (UUID owner : List.of(org, other)) {
                    int rows = owner.equals(org) ? ROWS : ROWS / 4;
                    String created = "'2026-01-01'::timestamptz + n * interval '1 second'";
                    sql.execute("INSERT INTO users (id, org_id, user_name, data, created_at) SELECT gen_random_uuid(), '"
                            + owner + "', 'user' || n, '{}', " + created + " FROM generate_series(1, " + rows + ") AS n");
                    sql.execute("INSERT INTO groups (id, org_id, display_name, data, created_at) SELECT gen_random_uuid(), '"
                            + owner + "', 'group' || n, '{}', " + created + " FROM generate_series(1, " + rows + ") AS n");
                    sql.execute("INSERT INTO roles (id, org_id, value, name, type, created_at) SELECT gen_random_uuid(), '"
                            + owner + "', 'role-' || n, 'Role ' || n, 'custom', " + created
                            + " FROM generate_series(1, " + rows + ") AS n");
                }
                for (String table : List.of("users", "groups", "roles")) {
                    sql.execute("ANALYZE " + table);
                }
                KeysetPosition middle;
                try (ResultSet rows = sql.executeQuery("SELECT created_at::text, id FROM users WHERE org_id = '" + org
                        + "' ORDER BY created_at, id OFFSET " + ROWS / 2 + " LIMIT 1")) {
                    rows.next();
                    middle = new KeysetPosition(rows.getString(1), rows.getObject(2, UUID.class));
                }
                check.run(sql, org, middle);
            } finally {
                sql.execute("RESET search_path");
                sql.execute("RESET plan_cache_mode");
                sql.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** The generic plan of the page's statement, its parameters declared with these types. */
    private static JsonNode explain(Statement sql, PageStatement page, String types) throws Exception {
        sql.execute("SET plan_cache_mode = force_generic_plan");
        sql.execute("PREPARE keyset_page (" + types + ") AS " + page.sql());
        StringBuilder values = new StringBuilder();
        for (Object parameter : page.parameters()) {
            values.append(values.length() == 0 ? "" : ", ")
                    .append(parameter instanceof Integer ? parameter.toString() : "'" + parameter + "'");
        }
        try (ResultSet rows = sql.executeQuery("EXPLAIN (FORMAT JSON) EXECUTE keyset_page (" + values + ")")) {
            rows.next();
            return JSON.readTree(rows.getString(1));
        } finally {
            sql.execute("DEALLOCATE keyset_page");
        }
    }

    /**
     * Nodes of this type (on this relation, if given) in the plan of the page's rows: not in its subplans, which count
     * the whole query (for roles, whose count no trigger keeps, a scan of the organization's roles) or build a returned
     * row's representation.
     */
    private static List<String> nodes(JsonNode node, String type, String relation) {
        List<String> found = new ArrayList<>();
        if (Set.of("InitPlan", "SubPlan").contains(node.path("Parent Relationship").asText())) {
            return found;
        }
        if (type.equals(node.path("Node Type").asText())
                && (relation == null || relation.equals(node.path("Relation Name").asText()))) {
            found.add(type + " on " + node.path("Relation Name").asText());
        }
        node.forEach(child -> found.addAll(nodes(child, type, relation)));
        return found;
    }

    /**
     * The index conditions of the scans of the table's (org_id, created_at, id) index: in the copy of the table it is
     * named {@code <table>_org_id_created_at_id_idx}.
     */
    private static List<String> indexConditions(JsonNode node, String table) {
        List<String> found = new ArrayList<>();
        if ((table + "_org_id_created_at_id_idx").equals(node.path("Index Name").asText()) && node.has("Index Cond")) {
            found.add(node.get("Index Cond").asText());
        }
        node.forEach(child -> found.addAll(indexConditions(child, table)));
        return found;
    }
}
