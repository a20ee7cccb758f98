package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application on a PostgreSQL server of its own (as in production, not the embedded zero-setup one):
 * when the database goes away, {@code /q/health/ready} turns 503 while {@code /q/health/live} stays 200, so an
 * orchestrator stops routing to the instance without restarting it; when the database is back, readiness recovers
 * by itself.
 */
class ReadinessAcrossDatabaseOutageIT {

    private final PackagedApp app = PackagedApp.inTemporaryDirectory("rollcall-outage-it-");
    private final ExternalPostgres database = ExternalPostgres.in(app.workDir().resolve("postgres"));

    @AfterEach
    void stopAll() {
        app.close();
        database.close();
    }

    @Test
    void readinessFollowsTheDatabaseAndLivenessDoesNot() throws Exception {
        database.start();
        app.withOptions(database.datasourceOptions())
                .withOption("-Drollcall.data-dir=" + app.workDir().resolve("data"))
                .start("app.log");

        app.awaitStatus("/q/health/started", 200, 120);
        app.awaitStatus("/q/health/ready", 200, 10);
        assertEquals(200, app.status("/q/health/live"));

        database.stop();
        long down = System.nanoTime();
        app.awaitStatus("/q/health/ready", 503, 15);
        long noticedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - down);
        HttpResponse<String> ready = app.send(HttpRequest.newBuilder(app.uri("/q/health/ready")).GET());
        assertTrue(ready.body().contains("\"DOWN\""), ready.body());
        assertEquals(200, app.status("/q/health/live"), "liveness does not depend on the database");
        assertTrue(app.process().isAlive(), "the server keeps running without its database");

        database.start();
        long back = System.nanoTime();
        app.awaitStatus("/q/health/ready", 200, 30);
        System.out.printf("ReadinessAcrossDatabaseOutageIT: readiness DOWN %d ms after the database stopped, UP again "
                + "%d ms after it restarted%n", noticedMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back));
        assertTrue(!Files.readString(app.workDir().resolve("app.log")).contains("password=postgres"),
                "the log does not show the datasource password");
    }
}
