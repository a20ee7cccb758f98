package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code QUARKUS_LOG_CONSOLE_JSON=true} (as the issue and a log pipeline set it) turns every line the packaged
 * application writes, from the first (before Quarkus starts, the embedded database) to the last, into one JSON object
 * with timestamp, level, logger and message; without it the lines stay plain text. Tokens never appear, and a routine
 * client error (a duplicate userName, 409) logs nothing at WARN or above from Rollcall's code.
 */
class JsonLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PackagedApp app = PackagedApp.inTemporaryDirectory("rollcall-json-logs-it-");

    @AfterEach
    void stopApp() {
        app.close();
    }

    @Test
    void everyLineIsAJsonObjectWhenAsked() throws Exception {
        Path log = run(true);
        List<String> lines = Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList();
        assertTrue(lines.size() > 10, "the server logged its start and stop: " + lines);
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines) {
            JsonNode record = JSON.readTree(line);
            assertTrue(record.isObject(), "a JSON object per line: " + line);
            for (String field : List.of("timestamp", "level", "loggerName", "message")) {
                assertTrue(record.hasNonNull(field), field + " in " + line);
            }
            records.add(record);
        }
        assertTrue(records.get(0).path("message").asText().startsWith("Using the embedded PostgreSQL"),
                "the line written before Quarkus starts is JSON too");
        assertTrue(records.stream().anyMatch(r -> r.path("message").asText().contains("stopped in")),
                "the shutdown is logged as JSON");
        List<String> warnings = records.stream()
                .filter(r -> r.path("loggerName").asText().startsWith("io.rollcall"))
                .filter(r -> List.of("WARN", "WARNING", "ERROR", "SEVERE").contains(r.path("level").asText()))
                .map(JsonNode::toString).toList();
        assertEquals(List.of(), warnings, "a duplicate userName (409) is routine: nothing at WARN or above");
    }

    @Test
    void linesArePlainTextByDefault() throws Exception {
        Path log = run(false);
        List<String> lines = Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList();
        assertTrue(lines.size() > 10);
        assertTrue(lines.stream().noneMatch(line -> line.startsWith("{")), "plain text: " + lines.get(0));
    }

    /** Starts the app, creates a SCIM key, sends a duplicate user, stops it; returns its output. */
    private Path run(boolean json) throws Exception {
        app.withEnvironment("QUARKUS_LOG_CONSOLE_JSON", json ? "true" : null)
                .withEnvironment("QUARKUS_LOG_CONSOLE_JSON_ENABLED", null);
        Path log = app.startReady(json ? "json.log" : "plain.log");
        String owner = app.ownerToken();
        String operator = app.operatorToken();
        String scim = app.createScimClientToken("idp-" + json);
        String user = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"dup-" + json
                + "@example.com\"}";
        for (int expected : new int[] {201, 409}) {
            HttpResponse<String> created = app.send(HttpRequest.newBuilder(app.uri("/scim/v2/Users"))
                    .header("Authorization", "Bearer " + scim).header("Content-Type", "application/scim+json")
                    .POST(HttpRequest.BodyPublishers.ofString(user)));
            assertEquals(expected, created.statusCode(), created.body());
        }

        app.stop();
        String written = Files.readString(log);
        assertFalse(written.contains(owner), "the owner token is never logged");
        assertFalse(written.contains(scim), "an access key's token is never logged");
        assertFalse(written.contains(operator), "the operator token is never logged");
        return log;
    }
}
