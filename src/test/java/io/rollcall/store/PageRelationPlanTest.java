package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.PostgresResource;

/**
 * A Users page reads its users' groups and roles in one statement ({@link UserRepository#relationsOfUsers}). Under
 * {@code plan_cache_mode=force_generic_plan} a pooled connection plans it once, possibly while the tables are empty (an
 * identity provider's first sync): the plan must look each user up by index whatever the statistics say, rather than
 * walk every binding of the organization on every page (issue 12: 200 instead of 1,100 pages/s until an ANALYZE): all
 * the page's ids in one scan of the index by principal or member, never a scan of the organization's rows.
 * Measured on copies of the tables that were analysed empty and then filled with a few thousand users, as a first sync
 * leaves them, with sequential scans allowed.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PageRelationPlanTest {

    private static final String[] TABLES = { "users", "groups", "group_members", "roles", "role_bindings", "workspaces" };

    @Test
    void aPagesGroupsAndRolesAreReadByIndexPerUserRightAfterAFirstSync() throws Exception {
        PlanAssertions.onTableCopies(TABLES, sql -> {
            for (String table : TABLES) {
                sql.execute("ANALYZE " + table); // statistics of empty tables, as at an IdP's first request
            }
            UUID org = UUID.randomUUID();
            // 20 groups, user n in group n % 20 + 1; a third of the users hold a second role
            List<UUID> page = sync(sql, org, 20, "g.k = s.n % 20 + 1", "r.value = 'role-1' OR (r.value = 'role-2' AND s.n % 3 = 0)");

            JsonNode plan = explain(sql, "FORMAT JSON", UserRepository.relatedRowsSql(true, true), org, page);

            PlanAssertions.assertNoSeqScan(plan, "role_bindings", "bindings walked whole");
            PlanAssertions.assertNoSeqScan(plan, "group_members", "memberships walked whole");
            PlanAssertions.assertSomeIndexCondition(plan, "principal_id = ANY ($2)",
                    "role bindings looked up by principal");
            PlanAssertions.assertSomeIndexCondition(plan, "member_id = ANY ($2)", "memberships looked up by member");
        });
    }

    /**
     * The other side: tables analysed once filled, as autovacuum leaves a small organization (50 groups, everyone in
     * one of them, as in the benchmark). The page's group names are read once per distinct group, not again for each
     * membership of the page (+270 µs of PostgreSQL per page of 100 in the benchmark, 2026-12-08, until the names were
     * materialized).
     */
    @Test
    void aPagesGroupNamesAreReadOncePerGroupOnceTheTablesAreAnalysed() throws Exception {
        PlanAssertions.onTableCopies(TABLES, sql -> {
            UUID org = UUID.randomUUID();
            List<UUID> page = sync(sql, org, 50, "g.k = 1", "r.value = 'role-1'");
            for (String table : TABLES) {
                sql.execute("VACUUM ANALYZE " + table);
            }

            JsonNode plan = explain(sql, "ANALYZE, FORMAT JSON", UserRepository.relatedRowsSql(true, true), org, page);

            // whatever join order the statistics suggest, the names are a CTE of their own, read whole once
            JsonNode names = PlanAssertions.nodes(plan).stream()
                    .filter(node -> "CTE named".equals(node.path("Subplan Name").asText())).findFirst()
                    .orElseThrow(() -> new AssertionError("the group names are not read on their own: "
                            + PlanAssertions.describe(plan)));
            long groupReads = PlanAssertions.reads(plan, "groups");
            assertEquals(groupReads, PlanAssertions.reads(names, "groups"), "groups read outside the names");
            assertTrue(groupReads <= 1, "the one group of the page read " + groupReads + " times: "
                    + PlanAssertions.describe(plan));
        });
    }

    /**
     * An organization after an identity provider's sync: 30 roles, {@code groups} groups, 3,000 users, user n in the
     * group numbered k where {@code inGroup} holds (over {@code s.n} and {@code g.k}), bound to the roles where
     * {@code bound} holds (over {@code s.n} and {@code r.value}). The first 100 users are the page.
     */
    private static List<UUID> sync(Statement sql, UUID org, int groups, String inGroup, String bound)
            throws SQLException {
        sql.execute("INSERT INTO roles (id, org_id, value, name, type) SELECT gen_random_uuid(), '" + org
                + "', 'role-' || n, 'Role ' || n, 'custom' FROM generate_series(1, 30) AS n");
        sql.execute("INSERT INTO groups (id, org_id, display_name, data) SELECT gen_random_uuid(), '" + org
                + "', 'Group ' || n, '{}' FROM generate_series(1, " + groups + ") AS n");
        sql.execute("CREATE TEMP TABLE synced AS SELECT gen_random_uuid() AS id, n FROM generate_series(1, 3000) AS n");
        sql.execute("INSERT INTO group_members (group_id, member_id, member_type, org_id) SELECT g.id, s.id, 'User', '"
                + org + "' FROM synced s JOIN (SELECT id, row_number() OVER () AS k FROM groups) g ON " + inGroup);
        sql.execute("INSERT INTO role_bindings (id, org_id, principal_kind, principal_id, role_id, source) "
                + "SELECT gen_random_uuid(), '" + org + "', 'user', s.id, r.id, 'system' FROM synced s, roles r "
                + "WHERE " + bound);
        List<UUID> page = new ArrayList<>();
        try (ResultSet rows = sql.executeQuery("SELECT id FROM synced ORDER BY n LIMIT 100")) {
            while (rows.next()) {
                page.add(rows.getObject(1, UUID.class));
            }
        }
        sql.execute("DROP TABLE synced");
        return page;
    }

    /** The generic plan, as the server's {@code plan_cache_mode=force_generic_plan} connections make it. */
    private static JsonNode explain(Statement sql, String options, String statement, UUID org, List<UUID> page)
            throws Exception {
        String ids = page.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
        sql.execute("SET plan_cache_mode = force_generic_plan");
        sql.execute("PREPARE page_relations (uuid, uuid[], bigint) AS " + statement);
        try (ResultSet rows = sql.executeQuery("EXPLAIN (" + options + ") EXECUTE page_relations ('" + org + "', '" + ids
                + "', 5001)")) {
            rows.next();
            return PlanAssertions.rootNode(rows.getString(1));
        } finally {
            sql.execute("DEALLOCATE page_relations");
        }
    }
}
