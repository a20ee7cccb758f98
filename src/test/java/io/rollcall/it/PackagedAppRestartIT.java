package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application as a new user runs it ({@code java -jar target/quarkus-app/quarkus-run.jar}, nothing
 * configured): it starts its embedded PostgreSQL under the data directory, bootstraps once, serves SCIM, stops its
 * database with it, and finds all its data again on the next start.
 */
class PackagedAppRestartIT {

    private final PackagedApp app = PackagedApp.inTemporaryDirectory("rollcall-it-");

    @AfterEach
    void stopApp() {
        app.close();
    }

    @Test
    void firstStartBootstrapsOnEmbeddedPostgresAndRestartKeepsEverything() throws Exception {
        long started = System.nanoTime();
        Path firstLog = app.startReady("first.log");
        long firstAnswerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        Path dataDir = app.dataDir();
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

        String scimToken = app.createScimClientToken("okta");
        assertEquals(200, scim(scimToken).statusCode());

        app.stop();
        assertFalse(Files.exists(dataDir.resolve("postgres/postmaster.pid")), "embedded PostgreSQL stopped with the app");

        long restarted = System.nanoTime();
        Path secondLog = app.startReady("second.log");
        long secondAnswerMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted);
        assertEquals(200, scim(scimToken).statusCode(), "the key created before the restart still works");
        assertFalse(Files.readString(secondLog).contains("Created organization"), "a restart creates nothing");
        assertEquals(ownerToken, Files.readString(tokenFile).trim());

        System.out.printf("PackagedAppRestartIT: ready %d ms after java -jar (first start, initdb), "
                + "%d ms after a restart%n", firstAnswerMillis, secondAnswerMillis);
    }

    private HttpResponse<String> scim(String token) throws Exception {
        return app.send(HttpRequest.newBuilder(app.uri("/scim/v2/ResourceTypes"))
                .header("Authorization", "Bearer " + token).GET());
    }
}
