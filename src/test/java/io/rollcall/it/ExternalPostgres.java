package io.rollcall.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server of the test's own, outside the application (as in production, not the application's embedded
 * zero-setup one): the zonky binaries run on a fixed data directory and port, so that the test can stop it and start it
 * again on the same data while the application keeps running. The first start runs initdb.
 */
final class ExternalPostgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres running;

    private ExternalPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** A server keeping its data in the directory, on a free port; not started yet. */
    static ExternalPostgres in(Path dataDir) {
        return new ExternalPostgres(dataDir, Ports.free());
    }

    /** Starts the server on its data (kept from an earlier start) and waits until it accepts connections. */
    void start() {
        try {
            running = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server; its data stays for the next start. */
    void stop() {
        try {
            running.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            running = null;
        }
    }

    /** A connection to its {@code postgres} database, as its superuser. */
    Connection connect() throws SQLException {
        return running.getPostgresDatabase().getConnection();
    }

    /** The JVM options that point the packaged application at this server's {@code postgres} database. */
    List<String> datasourceOptions() {
        String url = "localhost:" + port + "/postgres";
        return List.of("-Dquarkus.datasource.reactive.url=postgresql://" + url,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + url,
                "-Dquarkus.datasource.username=postgres", "-Dquarkus.datasource.password=postgres");
    }

    /** Stops the server if it is running (after a test). */
    @Override
    public void close() {
        if (running != null) {
            stop();
        }
    }
}
