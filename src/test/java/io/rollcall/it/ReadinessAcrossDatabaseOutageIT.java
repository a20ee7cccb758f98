package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The packaged application on a PostgreSQL server of its own (as in production, not the embedded zero-setup one):
 * when the database goes away, {@code /q/health/ready} turns 503 while {@code /q/health/live} stays 200, so an
 * orchestrator stops routing to the instance without restarting it; when the database is back, readiness recovers
 * by itself.
 */
class ReadinessAcrossDatabaseOutageIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path workDir;
    private int appPort;
    private int databasePort;
    private EmbeddedPostgres database;
    private Process app;

    @BeforeEach
    void databaseAndWorkDirectory() throws IOException {
        workDir = Files.createTempDirectory("rollcall-outage-it-");
        appPort = freePort();
        databasePort = freePort();
        database = startDatabase();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (app != null && app.isAlive()) {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void readinessFollowsTheDatabaseAndLivenessDoesNot() throws Exception {
        String url = "localhost:" + databasePort + "/postgres";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        app = new ProcessBuilder(List.of(java, "-Dquarkus.http.port=" + appPort,
                "-Dquarkus.datasource.reactive.url=postgresql://" + url,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + url,
                "-Dquarkus.datasource.username=postgres", "-Dquarkus.datasource.password=postgres",
                "-Drollcall.data-dir=" + workDir.resolve("data"),
                "-jar", JAR.toAbsolutePath().toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("app.log").toFile())
                .start();

        awaitStatus("/q/health/started", 200, 120);
        awaitStatus("/q/health/ready", 200, 10);
        assertEquals(200, status("/q/health/live"));

        database.close();
        database = null;
        long down = System.nanoTime();
        awaitStatus("/q/health/ready", 503, 15);
        long noticedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
        HttpResponse<String> ready = get("/q/health/ready");
        assertTrue(ready.body().contains("\"DOWN\""), ready.body());
        assertEquals(200, status("/q/health/live"), "liveness does not depend on the database");
        assertTrue(app.isAlive(), "the server keeps running without its database");

        database = startDatabase();
        long back = System.nanoTime();
        awaitStatus("/q/health/ready", 200, 30);
        System.out.printf("ReadinessAcrossDatabaseOutageIT: readiness DOWN %d ms after the database stopped, UP again "
                + "%d ms after it restarted%n", noticedMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
        assertTrue(!Files.readString(workDir.resolve("app.log")).contains("password=postgres"),
                "the log does not show the datasource password");
    }

    private EmbeddedPostgres startDatabase() throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(workDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setPort(databasePort)
                .start();
    }

    private void awaitStatus(String path, int expected, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int last = -1;
        while (System.nanoTime() < deadline) {
            assertTrue(app.isAlive(), "the app is running; see " + workDir.resolve("app.log"));
            last = status(path);
            if (last == expected) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " answered " + last + ", not " + expected + ", within " + seconds + " s");
    }

    private int status(String path) throws InterruptedException {
        try {
            return get(path).statusCode();
        } catch (IOException notListening) {
            return -1;
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + appPort + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
