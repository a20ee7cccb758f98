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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application as a new user runs it ({@code java -jar target/quarkus-app/quarkus-run.jar}, nothing
 * configured): it starts its embedded PostgreSQL under the data directory, bootstraps once, serves SCIM, stops its
 * database with it, and finds all its data again on the next start.
 */
class PackagedAppRestartIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path workDir;
    private int port;
    private Process app;

    @BeforeEach
    void freshWorkingDirectory() throws IOException {
        workDir = Files.createTempDirectory("rollcall-it-");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    @AfterEach
    void stopApp() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void firstStartBootstrapsOnEmbeddedPostgresAndRestartKeepsEverything() throws Exception {
        long started = System.nanoTime();
        Path firstLog = start("first.log");
        long firstAnswerMillis = waitUntilAnswering(started);

        Path dataDir = workDir.resolve(".rollcall");
        Path tokenFile = dataDir.resolve("owner.token");
        assertTrue(Files.exists(tokenFile), "the owner token is written to <data-dir>/owner.token");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(tokenFile));
        String ownerToken = Files.readString(tokenFile).trim();

        String log = Files.readString(firstLog);
        assertTrue(log.contains("Using the embedded PostgreSQL"), "the log says which database it uses");
        assertTrue(log.contains(tokenFile.toString()), "the log names the token file");
        assertTrue(log.contains("Created organization 'default'"));
        assertFalse(log.contains(ownerToken), "the log never contains the token");
        assertFalse(log.contains("Blocked thread"), "nothing blocks the event loop at first start");
        String keyLine = log.lines().filter(l -> l.contains("Generated a token signing key")).findFirst().orElseThrow();
        assertFalse(keyLine.contains("eventloop"), "the signing key is generated off the event loop: " + keyLine);
        Path passwordFile = dataDir.resolve("postgres.password");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(passwordFile),
                "the embedded PostgreSQL's password is kept owner-only");
        assertFalse(log.contains(Files.readString(passwordFile).trim()), "the log never contains the password");
        Path operatorFile = dataDir.resolve("operator.token");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(operatorFile));
        assertFalse(log.contains(Files.readString(operatorFile).trim()), "the log never contains the operator token");

        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/admin/v1/access-keys"))
                .header("Authorization", "Bearer " + ownerToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"okta\",\"roles\":[\"SCIM Client\"]}")));
        assertEquals(201, created.statusCode(), created.body());
        Matcher token = TOKEN.matcher(created.body());
        assertTrue(token.find(), created.body());
        String scimToken = token.group(1);
        assertEquals(200, scim(scimToken).statusCode());

        stop();
        assertFalse(Files.exists(dataDir.resolve("postgres/postmaster.pid")), "embedded PostgreSQL stopped with the app");

        long restarted = System.nanoTime();
        Path secondLog = start("second.log");
        long secondAnswerMillis = waitUntilAnswering(restarted);
        assertEquals(200, scim(scimToken).statusCode(), "the key created before the restart still works");
        assertFalse(Files.readString(secondLog).contains("Created organization"), "a restart creates nothing");
        assertEquals(ownerToken, Files.readString(tokenFile).trim());

        System.out.printf("PackagedAppRestartIT: first request answered %d ms after java -jar (first start, initdb), "
                + "%d ms after a restart%n", firstAnswerMillis, secondAnswerMillis);
    }

    private Path start(String logName) throws IOException {
        Path log = workDir.resolve(logName);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(List.of(java, "-Dquarkus.http.port=" + port, "-jar", JAR.toAbsolutePath().toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return log;
    }

    private void stop() throws InterruptedException {
        app.destroy();
        assertTrue(app.waitFor(60, TimeUnit.SECONDS), "the app stops on SIGTERM");
    }

    private long waitUntilAnswering(long startedNanos) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(app.isAlive(), "the app is running");
            try {
                if (send(HttpRequest.newBuilder(uri("/.well-known/jwks.json")).GET()).statusCode() == 200) {
                    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("The app did not answer within 120 s");
    }

    private HttpResponse<String> scim(String token) throws Exception {
        return send(HttpRequest.newBuilder(uri("/scim/v2/ResourceTypes")).header("Authorization", "Bearer " + token).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
