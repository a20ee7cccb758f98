package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on the packaged application (zero-setup, embedded PostgreSQL) while a request is in flight: readiness turns
 * DOWN at once (during {@code quarkus.shutdown.delay}), the request in flight still completes and is committed (the
 * embedded PostgreSQL stays up for it), requests arriving meanwhile are answered on connections the server then closes,
 * and the process exits and takes its embedded PostgreSQL with it. The request is held in
 * flight by its client, which sends half of the body before the signal and the rest after it.
 */
class GracefulShutdownIT {

    private final PackagedApp app = PackagedApp.inTemporaryDirectory("rollcall-shutdown-it-")
            .withOption("-Dquarkus.shutdown.delay=2s");

    @AfterEach
    void stopApp() {
        app.close();
    }

    @Test
    void aRequestInFlightAtSigtermCompletesWhileReadinessIsDown() throws Exception {
        app.startReady("first.log");
        String scim = app.createScimClientToken("idp");

        byte[] body = ("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\"in-flight@example.com\"}").getBytes(StandardCharsets.UTF_8);
        int half = body.length / 2;
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1:" + app.port()
                    + "\r\nAuthorization: Bearer " + scim
                    + "\r\nContent-Type: application/scim+json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, half);
            out.flush();
            Thread.sleep(500);

            long signalled = System.nanoTime();
            app.process().destroy(); // SIGTERM
            app.awaitStatus("/q/health/ready", 503, 5);
            long readinessDownMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            assertTrue(app.process().isAlive(), "the server is still running during the shutdown delay");

            // After the delay the server waits for the request in flight; a new request is still answered, but on a
            // connection the server closes, so that a client's next request goes to another instance.
            Thread.sleep(2_500);
            String late = rawGet("/.well-known/jwks.json");
            assertTrue(late.startsWith("HTTP/1.1 200"), late);
            assertTrue(late.toLowerCase().contains("\r\nconnection: close\r\n"), "connection closed after it: " + late);
            assertTrue(app.process().isAlive(), "the server waits for the request in flight");

            out.write(body, half, body.length - half);
            out.flush();
            String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 201"), "the request in flight completes: " + response);

            assertTrue(app.process().waitFor(40, TimeUnit.SECONDS), "the server exits once the request is done");
            long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
            System.out.printf("GracefulShutdownIT: readiness DOWN %d ms after SIGTERM; exited %d ms after SIGTERM "
                    + "(2 s delay, then the request in flight finished)%n", readinessDownMillis, exitMillis);
        }
        String log = Files.readString(app.workDir().resolve("first.log"));
        assertFalse(log.contains("Exception"), "no errors during the shutdown:\n" + log);
        assertFalse(Files.exists(app.dataDir().resolve("postgres/postmaster.pid")),
                "the embedded PostgreSQL stopped with the server");

        // The request that was in flight was committed.
        app.startReady("second.log");
        HttpResponse<String> found = app.send(HttpRequest.newBuilder(app.uri("/scim/v2/Users?filter="
                + URLEncoder.encode("userName eq \"in-flight@example.com\"", StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + scim).GET());
        assertEquals(200, found.statusCode(), found.body());
        assertTrue(found.body().contains("\"totalResults\":1"), found.body());
    }

    private String rawGet(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + app.port() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
