package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rollcall.support.EventReceiver;

/**
 * {@code QUARKUS_LOG_CONSOLE_JSON=true} (as the issue and a log pipeline set it) turns every line the packaged
 * application writes, from the first (before Quarkus starts, the embedded database) to the last, into one JSON object
 * with timestamp, level, logger and message; without it the lines stay plain text. Tokens never appear, nor does an
 * event subscription's HMAC secret (created, changed, and signing a delivery that fails once and then succeeds), and a
 * routine client error (a duplicate userName, 409) logs nothing at WARN or above from Rollcall's code.
 */
class JsonLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PackagedApp app = PackagedApp.inTemporaryDirectory("rollcall-json-logs-it-")
            .withOption("-Drollcall.events.allowed-networks=127.0.0.0/8")
            .withOption("-Drollcall.events.retry-base=200ms")
            .withOption("-Drollcall.events.retry-max=1s");

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

    /**
     * Starts the app, creates a SCIM key and an HMAC event subscription (then changes it), sends a duplicate user,
     * waits for the user's event to be delivered (the first attempt refused), stops it; returns its output.
     */
    private Path run(boolean json) throws Exception {
        app.withEnvironment("QUARKUS_LOG_CONSOLE_JSON", json ? "true" : null)
                .withEnvironment("QUARKUS_LOG_CONSOLE_JSON_ENABLED", null);
        Path log = app.startReady(json ? "json.log" : "plain.log");
        String owner = app.ownerToken();
        String operator = app.operatorToken();
        String scim = app.createScimClientToken("idp-" + json);
        try (EventReceiver receiver = EventReceiver.start()) {
            receiver.failFirstAttempts("/hooks", 1);
            Subscription subscription = createHmacSubscription(owner, receiver.url("/hooks"));
            String user = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"dup-" + json
                    + "@example.com\"}";
            for (int expected : new int[] {201, 409}) {
                HttpResponse<String> created = app.send(HttpRequest.newBuilder(app.uri("/scim/v2/Users"))
                        .header("Authorization", "Bearer " + scim).header("Content-Type", "application/scim+json")
                        .POST(HttpRequest.BodyPublishers.ofString(user)));
                assertEquals(expected, created.statusCode(), created.body());
            }
            EventReceiver.waitFor(Duration.ofSeconds(60), "the user's event, refused once, then delivered",
                    () -> receiver.at("/hooks").size() >= 2);
            assertTrue(receiver.at("/hooks").stream().allMatch(delivery -> delivery.headers()
                    .getOrDefault("x-rollcall-signature", "").contains("v1=")), "the deliveries are HMAC-signed");
            // stopping while the worker records the delivery would log that it lost its database, at WARN
            EventReceiver.waitFor(Duration.ofSeconds(30), "the delivery recorded",
                    () -> delivered(owner, subscription.id()));

            app.stop();
            String written = Files.readString(log);
            assertFalse(written.contains(owner), "the owner token is never logged");
            assertFalse(written.contains(scim), "an access key's token is never logged");
            assertFalse(written.contains(operator), "the operator token is never logged");
            String secretText = subscription.secret().substring("rwhs_".length());
            assertEquals(List.of(), Files.readAllLines(log).stream().filter(line -> line.contains(secretText)).toList(),
                    "an event subscription's HMAC secret is never logged");
        }
        return log;
    }

    private record Subscription(String id, String secret) {
    }

    /** Creates an HMAC subscription to every event type, then changes its event types. */
    private Subscription createHmacSubscription(String owner, String url) throws Exception {
        HttpResponse<String> created = app.send(HttpRequest.newBuilder(app.uri("/admin/v1/event-subscriptions"))
                .header("Authorization", "Bearer " + owner).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + url + "\", \"eventTypes\": [\"*\"], "
                        + "\"signing\": \"hmac\"}")));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode subscription = JSON.readTree(created.body());
        String secret = subscription.path("secret").asText();
        assertTrue(secret.startsWith("rwhs_") && secret.length() > "rwhs_".length() + 16, created.body());
        HttpResponse<String> changed = app.send(HttpRequest.newBuilder(
                app.uri("/admin/v1/event-subscriptions/" + subscription.path("id").asText()))
                .header("Authorization", "Bearer " + owner).header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"eventTypes\": [\"user.created\"]}")));
        assertEquals(200, changed.statusCode(), changed.body());
        return new Subscription(subscription.path("id").asText(), secret);
    }

    /** Whether the subscription has a delivery recorded as delivered and none pending. */
    private boolean delivered(String owner, String id) {
        try {
            HttpResponse<String> answer = app.send(HttpRequest.newBuilder(
                    app.uri("/admin/v1/event-subscriptions/" + id)).header("Authorization", "Bearer " + owner).GET());
            JsonNode deliveries = JSON.readTree(answer.body()).path("deliveries");
            return answer.statusCode() == 200 && deliveries.path("pending").asLong(-1) == 0
                    && deliveries.hasNonNull("lastDeliveredAt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
