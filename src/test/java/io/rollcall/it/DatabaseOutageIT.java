package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application on a PostgreSQL server of its own, which the test stops and starts (issue 13, "When
 * PostgreSQL is away"): under a steady write load every answer while the database is down is a 503 with
 * {@code Retry-After} in the API's error format, never a 500 and never a wait past the configured bounds; once it is
 * back, requests succeed again within seconds and no acknowledged write is lost. And the server starts while its
 * database is down, waits for it, and becomes ready without a restart. PostgreSQL is an
 * {@link ExternalPostgres}.
 */
class DatabaseOutageIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern MEMBER_VALUE = Pattern.compile("\"value\"\\s*:\\s*\"([^\"]+)\"");
    /** The longest any request may take, outage or not: connect and acquisition timeouts (5 s each) plus slack. */
    private static final Duration REQUEST_BOUND = Duration.ofSeconds(12);
    private static final int CLIENTS = 4;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final PackagedApp app = PackagedApp.inTemporaryDirectory("rollcall-db-outage-it-");
    private final ExternalPostgres database = ExternalPostgres.in(app.workDir().resolve("postgres"));

    @AfterEach
    void stopAll() {
        app.close();
        database.close();
    }

    @Test
    void writesDuringAnOutageAre503WithRetryAfterAndNoAcknowledgedWriteIsLost() throws Exception {
        database.start();
        startApp();
        app.awaitStatus("/q/health/ready", 200, 120);
        String owner = ownerToken();
        HttpResponse<String> key = send("POST", "/admin/v1/access-keys", owner, "application/json",
                "{\"name\":\"outage\",\"roles\":[\"SCIM Client\"]}");
        String scim = extract(TOKEN, key, 201);
        String keyId = extract(ID, key, 201);
        String group = extract(ID, send("POST", "/scim/v2/Groups", scim, "application/scim+json",
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"outage\"}"), 201);

        Load load = new Load(scim, group);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            running.add(clients.submit(() -> load.run(client)));
        }
        Thread.sleep(3_000);
        assertTrue(load.created.size() > 0, "the load writes before the outage");

        database.stop();
        long stopped = System.nanoTime();
        load.phase.set("outage");
        Thread.sleep(2_000);
        HttpResponse<String> admin = send("GET", "/admin/v1/access-keys", owner, null, null);
        HttpResponse<String> oauth = send("POST", "/oauth/token", null, "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=" + keyId + "&client_secret=rcs_not-its-secret");
        Thread.sleep(3_000);
        long outageMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);

        database.start();
        long restarted = System.nanoTime();
        load.phase.set("recovery");
        load.restartedAt.set(restarted);
        Thread.sleep(5_000);
        load.phase.set("after");
        load.afterSince.set(System.nanoTime());
        Thread.sleep(4_000);
        load.stop.set(true);
        for (Future<?> client : running) {
            client.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();

        assertEquals(List.of(), new ArrayList<>(load.wrongAnswers), "every answer is a success or a 503 with "
                + "Retry-After in the API's format");
        assertTrue(load.outage503s.get() > 0, "the outage was seen: requests were answered 503");
        assertEquals(503, admin.statusCode(), admin.body());
        assertEquals("application/problem+json", admin.headers().firstValue("Content-Type").orElse(""));
        assertTrue(admin.headers().firstValue("Retry-After").isPresent());
        assertTrue(admin.body().contains("\"status\":503"), admin.body());
        assertEquals(503, oauth.statusCode(), oauth.body());
        assertTrue(oauth.body().contains("\"error\":\"temporarily_unavailable\""), oauth.body());
        assertTrue(oauth.headers().firstValue("Retry-After").isPresent());
        long recoveryMillis = load.firstSuccessAfterRestart.get() == 0 ? -1
                : TimeUnit.NANOSECONDS.toMillis(load.firstSuccessAfterRestart.get() - restarted);
        assertTrue(recoveryMillis >= 0 && recoveryMillis < 5_000, "a write succeeded within 5 s of the database "
                + "accepting connections again (" + recoveryMillis + " ms)");
        assertTrue(load.successesAfter.get() > 0, "writes go on once recovered");
        assertEquals(0, load.failuresAfter.get(), "5 s after the restart every request succeeds");
        assertTrue(load.slowest.get() < REQUEST_BOUND.toMillis(), "no request took longer than the bound ("
                + load.slowest.get() + " ms)");

        Set<String> members = members(scim, group);
        List<String> lost = new ArrayList<>();
        for (String user : load.created) {
            if (send("GET", "/scim/v2/Users/" + user, scim, null, null).statusCode() != 200) {
                lost.add("user " + user);
            }
        }
        for (String member : load.added) {
            if (!members.contains(member)) {
                lost.add("member " + member);
            }
        }
        assertEquals(List.of(), lost, "every acknowledged write is there");
        String log = Files.readString(app.workDir().resolve("app.log"));
        assertFalse(log.contains("Unexpected failure"), "no request failed unexpectedly; see " + app.workDir());
        System.out.printf("DatabaseOutageIT: %d users and %d member adds acknowledged, %d answers 503 during a %d ms "
                + "outage, first success %d ms after the restart, slowest request %d ms%n", load.created.size(),
                load.added.size(), load.outage503s.get(), outageMillis, recoveryMillis, load.slowest.get());
    }

    @Test
    void startsWhileTheDatabaseIsDownAndBecomesReadyWhenItArrives() throws Exception {
        // the cluster exists (initdb) but is not running when the server starts
        database.start();
        database.stop();
        startApp();
        app.awaitStatus("/q/health/started", 200, 120);
        assertEquals(200, app.status("/q/health/live"), "liveness does not wait for the database");
        assertEquals(503, app.status("/q/health/ready"));

        HttpResponse<String> scim = send("GET", "/scim/v2/Users", "not-checked-yet", null, null);
        assertEquals(503, scim.statusCode(), scim.body());
        assertEquals("application/scim+json;charset=utf-8", scim.headers().firstValue("Content-Type").orElse("")
                .replace(" ", "").toLowerCase());
        assertTrue(scim.body().contains("\"status\":\"503\""), scim.body());
        assertTrue(scim.headers().firstValue("Retry-After").isPresent());
        HttpResponse<String> admin = send("GET", "/admin/v1/access-keys", "not-checked-yet", null, null);
        assertEquals(503, admin.statusCode(), admin.body());
        assertEquals("application/problem+json", admin.headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> oauth = send("POST", "/oauth/token", null, "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=a&client_secret=b");
        assertEquals(503, oauth.statusCode(), oauth.body());
        assertTrue(oauth.body().contains("\"error\":\"temporarily_unavailable\""), oauth.body());

        Thread.sleep(3_000);
        assertTrue(app.process().isAlive(), "the server waits for its database instead of exiting");
        database.start();
        long started = System.nanoTime();
        app.awaitStatus("/q/health/ready", 200, 60);
        long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        String owner = ownerToken();
        assertEquals(200, send("GET", "/admin/v1/access-keys", owner, null, null).statusCode());
        System.out.printf("DatabaseOutageIT: started without its database; ready %d ms after it started%n",
                readyMillis);
    }

    /** Clients that create a user, then add it to the group, over and over, and judge every answer. */
    private final class Load {
        final String token;
        final String group;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<String> phase = new AtomicReference<>("before");
        final AtomicLong restartedAt = new AtomicLong();
        final AtomicLong afterSince = new AtomicLong();
        final AtomicLong firstSuccessAfterRestart = new AtomicLong();
        final AtomicLong outage503s = new AtomicLong();
        final AtomicLong successesAfter = new AtomicLong();
        final AtomicLong failuresAfter = new AtomicLong();
        final AtomicLong slowest = new AtomicLong();
        final Set<String> created = ConcurrentHashMap.newKeySet();
        final Set<String> added = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<String> wrongAnswers = new ConcurrentLinkedQueue<>();

        Load(String token, String group) {
            this.token = token;
            this.group = group;
        }

        void run(int client) {
            for (int n = 0; !stop.get(); n++) {
                String user = write(client, "POST", "/scim/v2/Users", "{\"schemas\":"
                        + "[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"c" + client + "-" + n
                        + "@outage.test\"}", 201);
                if (user != null) {
                    created.add(user);
                    if (write(client, "PATCH", "/scim/v2/Groups/" + group, "{\"schemas\":"
                            + "[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\","
                            + "\"path\":\"members\",\"value\":[{\"value\":\"" + user + "\"}]}]}", 204) != null) {
                        added.add(user);
                    }
                }
            }
        }

        /** The created id (or "" for a 2xx without one), or null when the write was refused with a 503. */
        private String write(int client, String method, String path, String body, int expected) {
            String during = phase.get();
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = send(method, path, token, "application/scim+json", body);
            } catch (Exception e) {
                wrongAnswers.add(during + " " + method + " " + path + ": " + e);
                pause();
                return null;
            } finally {
                slowest.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
            }
            int status = response.statusCode();
            boolean success = status == expected || status == 200 && expected == 204;
            if (success) {
                if (!during.equals("before") && !during.equals("outage")) {
                    firstSuccessAfterRestart.compareAndSet(0, System.nanoTime());
                }
                if (during.equals("after")) {
                    successesAfter.incrementAndGet();
                }
                Matcher id = ID.matcher(response.body());
                return status == 201 && id.find() ? id.group(1) : "";
            }
            if (during.equals("after")) {
                failuresAfter.incrementAndGet();
            }
            boolean scimError = response.headers().firstValue("Content-Type").orElse("")
                    .startsWith("application/scim+json") && response.body().contains("\"status\":\"503\"")
                    && response.body().contains("\"detail\"");
            if (status != 503 || response.headers().firstValue("Retry-After").isEmpty() || !scimError) {
                wrongAnswers.add(during + " client " + client + " " + method + " " + path + ": " + status + " "
                        + response.headers().map() + " " + response.body());
            } else if (during.equals("outage")) {
                outage503s.incrementAndGet();
            }
            pause();
            return null;
        }

        private void pause() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Set<String> members(String token, String group) throws Exception {
        HttpResponse<String> response = send("GET", "/scim/v2/Groups/" + group + "?attributes=members", token, null,
                null);
        assertEquals(200, response.statusCode(), response.body());
        Set<String> members = new HashSet<>();
        Matcher values = MEMBER_VALUE.matcher(response.body());
        while (values.find()) {
            members.add(values.group(1));
        }
        return members;
    }

    private void startApp() {
        app.withOptions(database.datasourceOptions())
                .withOption("-Drollcall.data-dir=" + app.workDir().resolve("data"))
                .start("app.log");
    }

    private String ownerToken() throws IOException {
        return Files.readString(app.workDir().resolve("data/owner.token")).trim();
    }

    private HttpResponse<String> send(String method, String path, String token, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path))
                .timeout(REQUEST_BOUND)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String extract(Pattern pattern, HttpResponse<String> response, int expected) {
        assertEquals(expected, response.statusCode(), response.body());
        Matcher matcher = pattern.matcher(response.body());
        assertTrue(matcher.find(), response.body());
        return matcher.group(1);
    }
}
