package io.rollcall.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.rollcall.store.EmbeddedDatabase;

/**
 * A real PostgreSQL for the tests: the embedded one in a fresh temporary cluster by default, or, when
 * {@code ROLLCALL_TEST_JDBC_URL} names a server (with {@code ROLLCALL_TEST_DB_USER} / {@code ROLLCALL_TEST_DB_PASSWORD}),
 * a fresh database created on it for this run and dropped afterwards. Also gives the app a fresh data directory, where
 * the bootstrap owner token and signing keys land.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase embedded;
    private String externalAdminUrl;
    private String externalDatabase;
    private Path dataDir;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("rollcall-test-");
            Map<String, String> config = new HashMap<>();
            String externalUrl = System.getenv("ROLLCALL_TEST_JDBC_URL");
            if (externalUrl != null && !externalUrl.isBlank()) {
                config.putAll(createExternalDatabase(externalUrl));
            } else {
                embedded = EmbeddedDatabase.start(dataDir.resolve("postgres"));
                config.putAll(embedded.datasourceProperties());
            }
            config.put("rollcall.data-dir", dataDir.toString());
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, String> createExternalDatabase(String adminUrl) {
        externalAdminUrl = adminUrl;
        externalDatabase = "rollcall_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE DATABASE " + externalDatabase);
        String url = adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + externalDatabase + "$1");
        return Map.of(
                "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.reactive.url", url.replaceFirst("^jdbc:", ""),
                "quarkus.datasource.username", user(),
                "quarkus.datasource.password", password());
    }

    @Override
    public void stop() {
        try {
            if (embedded != null) {
                embedded.close();
            }
            if (externalDatabase != null) {
                execute("DROP DATABASE IF EXISTS " + externalDatabase + " WITH (FORCE)");
            }
            deleteDataDir();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The run's data directory (its database alone is ~600 MB), so that repeated runs do not fill the disk. */
    private void deleteDataDir() throws IOException {
        if (dataDir == null || !Files.exists(dataDir)) {
            return;
        }
        try (var paths = Files.walk(dataDir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(externalAdminUrl, user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run '" + sql + "' on " + externalAdminUrl, e);
        }
    }

    private static String user() {
        return System.getenv().getOrDefault("ROLLCALL_TEST_DB_USER", "postgres");
    }

    private static String password() {
        return System.getenv().getOrDefault("ROLLCALL_TEST_DB_PASSWORD", "");
    }
}
