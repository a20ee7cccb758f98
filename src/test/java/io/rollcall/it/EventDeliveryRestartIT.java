package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final int EVENTS = 200;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path workDir;
    private int port;
    private Process app;

    @BeforeEach
    void freshWorkingDirectory() throws IOException {
        workDir = Files.createTempDirectory("rollcall-events-it-");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    @AfterEach
    void stopApp() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroy();
            app.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRestartMidDeliveryLosesNoEvent() throws Exception {
        try (EventReceiver receiver = EventReceiver.start()) {
            start("first.log");
            waitUntilAnswering();
            String owner = Files.readString(workDir.resolve(".rollcall/owner.token")).trim();
            String orgId = new JsonObject(new String(Base64.getUrlDecoder().decode(owner.split("\\.")[1]),
                    StandardCharsets.UTF_8)).getString("org");
            HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/admin/v1/event-subscriptions"))
                    .header("Authorization", "Bearer " + owner).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"url\": \"" + receiver.url("/restart")
                            + "\", \"eventTypes\": [\"*\"], \"signing\": \"jwt\"}")));
            assertEquals(201, created.statusCode(), created.body());
            receiver.delay("/restart", 300);

            List<String> written = insertEvents(orgId);
            EventReceiver.waitFor(Duration.ofSeconds(60), "some deliveries before the restart",
                    () -> receiver.at("/restart").size() >= 40);
            app.destroy();
            assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the app stops on SIGTERM");
            int beforeRestart = new HashSet<>(jtis(receiver.at("/restart"))).size();
            assertTrue(beforeRestart < EVENTS, "stopped mid-delivery: " + beforeRestart + " of " + EVENTS);

            start("second.log");
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
        }
    }

    /** Events as the services write them, one committed transaction each, straight into the app's database. */
    private List<String> insertEvents(String orgId) throws Exception {
        Path data = workDir.resolve(".rollcall");
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

    private void start(String logName) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(List.of(java, "-Dquarkus.http.port=" + port,
                "-Drollcall.events.allowed-networks=127.0.0.0/8", "-Drollcall.events.delivery-timeout=2s",
                "-Drollcall.events.retry-base=200ms", "-Drollcall.events.retry-max=1s",
                "-jar", JAR.toAbsolutePath().toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(logName).toFile())
                .start();
    }

    private void waitUntilAnswering() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            assertTrue(app.isAlive(), "the app is running");
            try {
                if (send(HttpRequest.newBuilder(uri("/.well-known/jwks.json")).GET()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("The app did not answer within 180 s");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
