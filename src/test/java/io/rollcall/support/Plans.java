package io.rollcall.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Query plans read from {@code EXPLAIN (FORMAT JSON)}, so that a test can say which index answers which condition: a
 * plan that merely names an index (a full scan of it with a {@code Filter} on top, as {@code enable_seqscan = off}
 * produces when no index fits) is not one in which the index answers the condition.
 */
public final class Plans {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Plans() {
    }

    /** The plan of the statement, parameters bound in order from {@code ?} number 1. */
    public static JsonNode explain(Connection connection, String sql, List<Object> parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("EXPLAIN (FORMAT JSON) " + sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return JSON.readTree(rows.getString(1)).get(0).get("Plan");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("EXPLAIN (FORMAT JSON) answered something that is not JSON", e);
        }
    }

    /**
     * The generic plan of a statement written with {@code $n} parameters ({@code EXPLAIN (GENERIC_PLAN)}, PostgreSQL
     * 16 and later): the plan that {@code plan_cache_mode = force_generic_plan} caches, made without knowing any
     * parameter's value. The connection must send it as a simple query ({@code preferQueryMode=simple}): over the
     * extended protocol the server would expect the {@code $n} to be bound.
     */
    public static JsonNode explainGeneric(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("EXPLAIN (GENERIC_PLAN, FORMAT JSON) " + sql)) {
            rows.next();
            return JSON.readTree(rows.getString(1)).get(0).get("Plan");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("EXPLAIN (FORMAT JSON) answered something that is not JSON", e);
        }
    }

    /** Every node of the plan, the root first. */
    public static List<JsonNode> nodes(JsonNode plan) {
        List<JsonNode> nodes = new ArrayList<>();
        collect(plan, nodes);
        return nodes;
    }

    /** The {@code Index Cond} of every scan of the index in the plan (empty text for a scan without one). */
    public static List<String> indexConditions(JsonNode plan, String index) {
        return nodes(plan).stream().filter(node -> index.equals(node.path("Index Name").asText()))
                .map(node -> node.path("Index Cond").asText("")).toList();
    }

    /** Whether some scan of the index has an {@code Index Cond} naming the expression. */
    public static boolean indexAnswers(JsonNode plan, String index, String expression) {
        return indexConditions(plan, index).stream().anyMatch(condition -> condition.contains(expression));
    }

    /** The node types of the plan and the relations or indexes they read, for failure messages. */
    public static String describe(JsonNode plan) {
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
