package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path workDir;
    private int port;
    private Process app;

    @BeforeEach
    void freshWorkingDirectory() throws IOException {
        workDir = Files.createTempDirectory("rollcall-json-logs-it-");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    @AfterEach
    void stopApp() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroyForcibly();
            app.waitFor(30, TimeUnit.SECONDS);
        }
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
        Path log = workDir.resolve(json ? "json.log" : "plain.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Dquarkus.http.port=" + port, "-jar",
                JAR.toAbsolutePath().toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("QUARKUS_LOG_CONSOLE_JSON");
        builder.environment().remove("QUARKUS_LOG_CONSOLE_JSON_ENABLED");
        if (json) {
            builder.environment().put("QUARKUS_LOG_CONSOLE_JSON", "true");
        }
        app = builder.start();
        awaitReady();

        String owner = Files.readString(workDir.resolve(".rollcall/owner.token")).trim();
        String operator = Files.readString(workDir.resolve(".rollcall/operator.token")).trim();
        HttpResponse<String> key = send(HttpRequest.newBuilder(uri("/admin/v1/access-keys"))
                .header("Authorization", "Bearer " + owner).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"idp-" + json + "\",\"roles\":[\"SCIM Client\"]}")));
        assertEquals(201, key.statusCode(), key.body());
        Matcher token = TOKEN.matcher(key.body());
        assertTrue(token.find());
        String scim = token.group(1);
        String user = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"dup-" + json
                + "@example.com\"}";
        for (int expected : new int[] {201, 409}) {
            HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/scim/v2/Users"))
                    .header("Authorization", "Bearer " + scim).header("Content-Type", "application/scim+json")
                    .POST(HttpRequest.BodyPublishers.ofString(user)));
            assertEquals(expected, created.statusCode(), created.body());
        }

        app.destroy();
        assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the app stops on SIGTERM");
        String written = Files.readString(log);
        assertFalse(written.contains(owner), "the owner token is never logged");
        assertFalse(written.contains(scim), "an access key's token is never logged");
        assertFalse(written.contains(operator), "the operator token is never logged");
        return log;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(app.isAlive(), "the app is running; see " + workDir);
            try {
                if (send(HttpRequest.newBuilder(uri("/q/health/ready")).GET()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not ready within 120 s");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
