package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Query plans read from {@code EXPLAIN (FORMAT JSON)} on the test database, and what a plan test asserts of them: which
 * index answers which condition. A plan that merely names an index (a full scan of it with a {@code Filter} on top, as
 * {@code enable_seqscan = off} produces when no index fits) is not one in which the index answers the condition.
 */
final class PlanAssertions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanAssertions() {
    }

    /** A JDBC connection to the database the Quarkus test runs on. */
    static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }

    /** What a plan test does with a connection whose search path starts at copies of some tables. */
    interface OnCopies {
        void run(Statement sql) throws Exception;
    }

    /**
     * Runs {@code work} on empty copies of the tables (indexes included, autovacuum off), in a schema of their own that
     * comes first on the search path, so that the test controls the rows and the statistics; dropped afterwards.
     */
    static void onTableCopies(String[] tables, OnCopies work) throws Exception {
        String schema = "copies_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE SCHEMA " + schema);
            try {
                for (String table : tables) {
                    sql.execute("CREATE TABLE " + schema + "." + table + " (LIKE public." + table
                            + " INCLUDING ALL) WITH (autovacuum_enabled = false)");
                }
                sql.execute("SET search_path = " + schema + ", public");
                work.run(sql);
            } finally {
                sql.execute("RESET search_path");
                sql.execute("RESET plan_cache_mode");
                sql.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** How many times the plan (run with {@code EXPLAIN ANALYZE}) read the relation, over all its scans of it. */
    static long reads(JsonNode plan, String relation) {
        return nodes(plan).stream().filter(node -> relation.equals(node.path("Relation Name").asText()))
                .mapToLong(node -> node.path("Actual Loops").asLong()).sum();
    }

    /**
     * A connection for {@link #genericPlanWithoutSeqScans}: it sends statements as simple queries
     * ({@code preferQueryMode=simple}), since over the extended protocol the server would expect the {@code $n} of an
     * {@code EXPLAIN (GENERIC_PLAN)} to be bound.
     */
    static Connection connectForGenericPlans() throws SQLException {
        Config config = ConfigProvider.getConfig();
        Properties properties = new Properties();
        properties.setProperty("user", config.getValue("quarkus.datasource.username", String.class));
        properties.setProperty("password",
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        properties.setProperty("preferQueryMode", "simple");
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class), properties);
    }

    /**
     * The plan of the statement, parameters bound in order from {@code ?} number 1, with sequential scans disabled on
     * the connection so that a small table cannot hide a missing index.
     */
    static JsonNode planWithoutSeqScans(Connection connection, String sql, List<Object> parameters)
            throws SQLException {
        try (Statement settings = connection.createStatement()) {
            settings.execute("SET enable_seqscan = off");
        }
        try (PreparedStatement statement = connection.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rootNode(rows.getString(1));
            }
        }
    }

    /**
     * The generic plan of a statement written with {@code $n} parameters ({@code EXPLAIN (GENERIC_PLAN)}, PostgreSQL
     * 16 and later): the plan that the server's {@code plan_cache_mode = force_generic_plan} caches, made without
     * knowing any parameter's value (binding them would plan for these values). Sequential scans are disabled on the
     * connection so that a small table cannot hide a missing index. The connection must come from
     * {@link #connectForGenericPlans()}.
     */
    static JsonNode genericPlanWithoutSeqScans(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET enable_seqscan = off");
            statement.execute("SET plan_cache_mode = force_generic_plan");
            try (ResultSet rows = statement.executeQuery("EXPLAIN (GENERIC_PLAN, FORMAT JSON) " + sql)) {
                rows.next();
                return rootNode(rows.getString(1));
            }
        }
    }

    /** The root node of a plan in the JSON text {@code EXPLAIN (FORMAT JSON)} answers. */
    static JsonNode rootNode(String explained) {
        try {
            return JSON.readTree(explained).get(0).get("Plan");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("EXPLAIN (FORMAT JSON) answered something that is not JSON", e);
        }
    }

    /** Every node of the plan, the root first. */
    static List<JsonNode> nodes(JsonNode plan) {
        List<JsonNode> nodes = new ArrayList<>();
        collect(plan, nodes);
        return nodes;
    }

    /** The {@code Index Cond} of every scan of the index in the plan (empty text for a scan without one). */
    static List<String> indexConditions(JsonNode plan, String index) {
        return nodes(plan).stream().filter(node -> index.equals(node.path("Index Name").asText()))
                .map(node -> node.path("Index Cond").asText("")).toList();
    }

    /** Every {@code Index Cond} in the plan, of whichever index. */
    static List<String> allIndexConditions(JsonNode plan) {
        return nodes(plan).stream().filter(node -> node.has("Index Cond"))
                .map(node -> node.get("Index Cond").asText()).toList();
    }

    /** Whether some scan of the index has an {@code Index Cond} naming the expression. */
    static boolean indexAnswers(JsonNode plan, String index, String expression) {
        return indexConditions(plan, index).stream().anyMatch(condition -> condition.contains(expression));
    }

    /**
     * Asserts that one of the indexes answers the expression: some scan of it has an {@code Index Cond} naming the
     * expression (the index is not merely read whole under a {@code Filter}). {@code what} says what that means.
     */
    static void assertIndexAnswers(JsonNode plan, String what, String expression, String... indexes) {
        List<String> conditions = new ArrayList<>();
        for (String index : indexes) {
            if (indexAnswers(plan, index, expression)) {
                return;
            }
            conditions.add(index + ": " + indexConditions(plan, index));
        }
        throw new AssertionError(what + ": no scan of " + Arrays.toString(indexes) + " has an Index Cond on "
                + expression + " (their scans' conditions: " + conditions + "):\n" + describe(plan));
    }

    /** Asserts that the plan does not read the index at all. */
    static void assertIndexNotRead(JsonNode plan, String index) {
        assertEquals(List.of(), indexConditions(plan, index), index + " is read:\n" + describe(plan));
    }

    /** Asserts that the plan has no sequential scan. */
    static void assertNoSeqScan(JsonNode plan) {
        assertTrue(nodes(plan).stream().noneMatch(node -> node.path("Node Type").asText().equals("Seq Scan")),
                "a sequential scan:\n" + describe(plan));
    }

    /** Asserts that the plan has no sequential scan of the relation. */
    static void assertNoSeqScan(JsonNode plan, String relation, String what) {
        assertTrue(nodes(plan).stream().noneMatch(node -> node.path("Node Type").asText().equals("Seq Scan")
                && relation.equals(node.path("Relation Name").asText())), what + ":\n" + describe(plan));
    }

    /** Asserts that some {@code Index Cond} of the plan, of whichever index, names the expression. */
    static void assertSomeIndexCondition(JsonNode plan, String expression, String what) {
        assertTrue(allIndexConditions(plan).stream().anyMatch(condition -> condition.contains(expression)),
                what + ":\n" + describe(plan));
    }

    /** The plan as indented JSON, for failure messages. */
    static String describe(JsonNode plan) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            return plan.toString();
        }
    }

    private static void collect(JsonNode node, List<JsonNode> nodes) {
        nodes.add(node);
        for (JsonNode child : node.path("Plans")) {
            collect(child, nodes);
        }
    }
}
