package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on the packaged application (zero-setup, embedded PostgreSQL) while a request is in flight: readiness turns
 * DOWN at once (during {@code quarkus.shutdown.delay}), the request in flight still completes and is committed (the
 * embedded PostgreSQL stays up for it), requests arriving meanwhile are answered on connections the server then closes,
 * and the process exits and takes its embedded PostgreSQL with it. The request is held in
 * flight by its client, which sends half of the body before the signal and the rest after it.
 */
class GracefulShutdownIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path workDir;
    private int port;
    private Process app;

    @BeforeEach
    void freshWorkingDirectory() throws IOException {
        workDir = Files.createTempDirectory("rollcall-shutdown-it-");
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
    void aRequestInFlightAtSigtermCompletesWhileReadinessIsDown() throws Exception {
        start("first.log");
        awaitStatus("/q/health/ready", 200, 120);
        String owner = Files.readString(workDir.resolve(".rollcall/owner.token")).trim();
        HttpResponse<String> key = send(HttpRequest.newBuilder(uri("/admin/v1/access-keys"))
                .header("Authorization", "Bearer " + owner).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"idp\",\"roles\":[\"SCIM Client\"]}")));
        assertEquals(201, key.statusCode(), key.body());
        Matcher token = TOKEN.matcher(key.body());
        assertTrue(token.find());
        String scim = token.group(1);

        byte[] body = ("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\"in-flight@example.com\"}").getBytes(StandardCharsets.UTF_8);
        int half = body.length / 2;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Bearer " + scim
                    + "\r\nContent-Type: application/scim+json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, half);
            out.flush();
            Thread.sleep(500);

            long signalled = System.nanoTime();
            app.destroy(); // SIGTERM
            awaitStatus("/q/health/ready", 503, 5);
            long readinessDownMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            assertTrue(app.isAlive(), "the server is still running during the shutdown delay");

            // After the delay the server waits for the request in flight; a new request is still answered, but on a
            // connection the server closes, so that a client's next request goes to another instance.
            Thread.sleep(2_500);
            String late = rawGet("/.well-known/jwks.json");
            assertTrue(late.startsWith("HTTP/1.1 200"), late);
            assertTrue(late.toLowerCase().contains("\r\nconnection: close\r\n"), "connection closed after it: " + late);
            assertTrue(app.isAlive(), "the server waits for the request in flight");

            out.write(body, half, body.length - half);
            out.flush();
            String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 201"), "the request in flight completes: " + response);

            assertTrue(app.waitFor(40, TimeUnit.SECONDS), "the server exits once the request is done");
            long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            System.out.printf("GracefulShutdownIT: readiness DOWN %d ms after SIGTERM; exited %d ms after SIGTERM "
                    + "(2 s delay, then the request in flight finished)%n", readinessDownMillis, exitMillis);
        }
        String log = Files.readString(workDir.resolve("first.log"));
        assertFalse(log.contains("Exception"), "no errors during the shutdown:\n" + log);
        assertFalse(Files.exists(workDir.resolve(".rollcall/postgres/postmaster.pid")),
                "the embedded PostgreSQL stopped with the server");

        // The request that was in flight was committed.
        start("second.log");
        awaitStatus("/q/health/ready", 200, 120);
        HttpResponse<String> found = send(HttpRequest.newBuilder(uri("/scim/v2/Users?filter="
                + URLEncoder.encode("userName eq \"in-flight@example.com\"", StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + scim).GET());
        assertEquals(200, found.statusCode(), found.body());
        assertTrue(found.body().contains("\"totalResults\":1"), found.body());
    }

    private void start(String logName) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(List.of(java, "-Dquarkus.http.port=" + port, "-Dquarkus.shutdown.delay=2s",
                "-jar", JAR.toAbsolutePath().toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(logName).toFile())
                .start();
    }

    private void awaitStatus(String path, int expected, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int last = -1;
        while (System.nanoTime() < deadline) {
            last = status(path);
            if (last == expected) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " answered " + last + ", not " + expected + ", within " + seconds + " s");
    }

    private int status(String path) throws InterruptedException {
        try {
            return send(HttpRequest.newBuilder(uri(path)).GET()).statusCode();
        } catch (IOException notAnswering) {
            return -1;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private String rawGet(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
