package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.rollcall.support.EventReceiver;
import io.rollcall.support.EventReceiver.Received;
import io.vertx.core.json.JsonObject;

/**
 * Change events survive a restart mid-delivery: the packaged jar delivers 200 events to a slow receiver, is stopped
 * (SIGTERM) while deliveries are in flight, and started again on the same data; every event arrives, each under its
 * own {@code jti}, repeats only as retries of the same {@code jti} (the deliveries in flight when it stopped, sent again
 * when their lease ran out).
 */
class EventDeliveryRestartIT {

    private static final int EVENTS = 200;

    private final PackagedApp app = PackagedApp.inTemporaryDirectory("rollcall-events-it-")
            .withOption("-Drollcall.events.allowed-networks=127.0.0.0/8")
            .withOption("-Drollcall.events.delivery-timeout=2s")
            .withOption("-Drollcall.events.retry-base=200ms")
            .withOption("-Drollcall.events.retry-max=1s");

    @AfterEach
    void stopApp() {
        app.close();
    }

    @Test
    void aRestartMidDeliveryLosesNoEvent() throws Exception {
        try (EventReceiver receiver = EventReceiver.start()) {
            app.start("first.log");
            waitUntilAnswering();
            String owner = app.ownerToken();
            String orgId = new JsonObject(new String(Base64.getUrlDecoder().decode(owner.split("\\.")[1]),
                    StandardCharsets.UTF_8)).getString("org");
            HttpResponse<String> created = app.send(HttpRequest.newBuilder(app.uri("/admin/v1/event-subscriptions"))
                    .header("Authorization", "Bearer " + owner).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + receiver.url("/restart")
                            + "\", \"eventTypes\": [\"*\"], \"signing\": \"jwt\"}")));
            assertEquals(201, created.statusCode(), created.body());
            receiver.delay("/restart", 300);

            List<String> written = insertEvents(orgId);
            EventReceiver.waitFor(Duration.ofSeconds(60), "some deliveries before the restart",
                    () -> receiver.at("/restart").size() >= 40);
            app.stop();
            int beforeRestart = new HashSet<>(jtis(receiver.at("/restart"))).size();
            assertTrue(beforeRestart < EVENTS, "stopped mid-delivery: " + beforeRestart + " of " + EVENTS);

            app.start("second.log");
            waitUntilAnswering();
            EventReceiver.waitFor(Duration.ofSeconds(120), "every event after the restart",
                    () -> new HashSet<>(jtis(receiver.at("/restart"))).containsAll(written));
            List<String> received = jtis(receiver.at("/restart"));
            Set<String> distinct = new HashSet<>(received);
            assertEquals(new HashSet<>(written), distinct, "exactly the events written, none lost, none invented");
            Map<String, Long> repeats = received.stream().collect(Collectors.groupingBy(jti -> jti,
                    Collectors.counting()));
            long repeated = repeats.values().stream().filter(count -> count > 1).count();
            System.out.printf("EventDeliveryRestartIT: %d of %d events delivered before the restart, all %d after it; "
                    + "%d sent twice (in flight at the stop), %d requests in all%n", beforeRestart, EVENTS, EVENTS,
                    repeated, received.size());
            app.stop();
        }
    }

    /** Events as the services write them, one committed transaction each, straight into the app's database. */
    private List<String> insertEvents(String orgId) throws Exception {
        Path data = app.dataDir();
        String pgPort = Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(3).trim();
        String password = Files.readString(data.resolve("postgres.password")).trim();
        List<String> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort
                + "/rollcall", "postgres", password);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO change_events (id, org_id, "
                        + "event_type, resource_type, resource_id, occurred_at) VALUES (CAST(? AS uuid), "
                        + "CAST(? AS uuid), 'user.deactivated', 'User', CAST(? AS uuid), now())")) {
            for (int i = 0; i < EVENTS; i++) {
                String id = UUID.randomUUID().toString();
                insert.setString(1, id);
                insert.setString(2, orgId);
                insert.setString(3, UUID.randomUUID().toString());
                insert.executeUpdate();
                ids.add(id);
            }
        }
        return ids;
    }

    private static List<String> jtis(List<Received> received) {
        return received.stream().map(Received::jti).toList();
    }

    /** Waits until the app answers a GET of its JWKS (180 s at most). */
    private void waitUntilAnswering() {
        app.awaitStatus("/.well-known/jwks.json", 200, 180);
    }
}
