package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL of the zero-setup run trusts no connection: its superuser has a generated password kept in
 * {@code <cluster>.password} (mode 600), which a restart reuses, and a cluster an older version left trusting is
 * secured on its next start.
 */
class EmbeddedDatabaseTest {

    @TempDir
    Path dataDir;

    private static Connection connect(EmbeddedDatabase database, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + database.port() + "/"
                + EmbeddedDatabase.DATABASE, "postgres", password);
    }

    private static String configuredPassword(EmbeddedDatabase database) {
        Map<String, String> properties = database.datasourceProperties();
        return properties.get("quarkus.datasource.password");
    }

    @Test
    void aNewClusterDemandsAGeneratedPasswordKeptOwnerOnlyAndARestartReusesIt() throws Exception {
        Path cluster = dataDir.resolve("postgres");
        Path passwordFile = EmbeddedDatabase.passwordFile(cluster);
        String password;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(cluster)) {
            assertTrue(Files.exists(passwordFile), "the password is kept beside the cluster");
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(passwordFile));
            password = Files.readString(passwordFile).trim();
            assertTrue(password.length() >= 40, "a long random password");
            assertEquals(password, configuredPassword(database));
            assertFalse(Files.readString(cluster.resolve("pg_hba.conf")).contains("trust"));
            SQLException noPassword = assertThrows(SQLException.class, () -> connect(database, "").close());
            assertTrue(noPassword.getMessage().contains("SCRAM"), noPassword.getMessage());
            SQLException wrong = assertThrows(SQLException.class, () -> connect(database, "postgres").close());
            assertEquals("28P01", wrong.getSQLState(), wrong.getMessage());
            try (Connection connection = connect(database, password)) {
                assertTrue(connection.isValid(2));
            }
        }
        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(cluster)) {
            assertEquals(password, configuredPassword(restarted));
            try (Connection connection = connect(restarted, password)) {
                assertTrue(connection.isValid(2));
            }
        }
    }

    @Test
    void aClusterLeftTrustingByAnOlderVersionIsSecuredOnItsNextStart() throws Exception {
        Path cluster = dataDir.resolve("postgres");
        Path passwordFile = EmbeddedDatabase.passwordFile(cluster);
        String first;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(cluster)) {
            first = configuredPassword(database);
        }
        Files.writeString(cluster.resolve("pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n"
                + "host all all ::1/128 trust\n");
        Files.delete(passwordFile);
        try (EmbeddedDatabase database = EmbeddedDatabase.start(cluster)) {
            String second = Files.readString(passwordFile).trim();
            assertNotEquals(first, second);
            assertFalse(Files.readString(cluster.resolve("pg_hba.conf")).contains("trust"));
            assertThrows(SQLException.class, () -> connect(database, "").close());
            try (Connection connection = connect(database, second)) {
                assertTrue(connection.isValid(2));
            }
        }
    }
}
