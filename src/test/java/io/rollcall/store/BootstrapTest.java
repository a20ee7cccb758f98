package io.rollcall.store;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.access.ManagedPolicies;
import io.rollcall.access.ManagedRole;
import io.rollcall.access.ManagedRoles;
import io.rollcall.access.Permission;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * What the first start against an empty database left behind: the "default" organization, the managed roles with their
 * managed policies, the permission catalogue, an Organization Owner key whose token is in an owner-only file, and an
 * owner-only signing key. Checked in the database itself and on disk.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BootstrapTest {

    /** Every managed role of the catalogue: the first page's six and the second page's predefined roles. */
    private static final Set<String> MANAGED_ROLE_VALUES = ManagedRoles.all().stream().map(ManagedRole::value)
            .collect(java.util.stream.Collectors.toSet());

    private static final String DEFAULT_ORG_OWNER_KEYS = "SELECT count(*) FROM access_keys k JOIN organizations o "
            + "ON o.id = k.org_id WHERE o.name = 'default' AND k.name = 'bootstrap owner'";

    @Test
    void createdTheDefaultOrganizationExactlyOnce() throws SQLException {
        // other tests create organizations of their own through the operator API
        assertEquals(List.of("default"), strings("SELECT name FROM organizations WHERE lower(name) = 'default'"));
        assertEquals(List.of("default"), strings("SELECT name FROM organizations ORDER BY created_at, id LIMIT 1"));
    }

    @Test
    void createdExactlyOneBootstrapOwnerKey() throws SQLException {
        assertEquals(1L, count(DEFAULT_ORG_OWNER_KEYS));
    }

    @Test
    void seededEveryManagedRoleInTheOrganization() throws SQLException {
        Map<String, String[]> roles = new LinkedHashMap<>();
        // other tests share the organization and add custom roles to it: those are not the bootstrap's
        query("SELECT r.value, r.type, CAST(r.internal AS text), r.name FROM roles r "
                + "JOIN organizations o ON o.id = r.org_id WHERE o.name = 'default'",
                row -> {
                    if (!row[1].equals("custom") || MANAGED_ROLE_VALUES.contains(row[0])) {
                        roles.put(row[0], row);
                    }
                });
        assertEquals(MANAGED_ROLE_VALUES, roles.keySet());
        for (String[] role : roles.values()) {
            assertEquals("managed", role[1], role[0]);
            boolean internal = role[0].equals("visitor") || role[0].equals("chat-widget");
            assertEquals(String.valueOf(internal), role[2], role[0] + " internal");
            assertEquals(ManagedRoles.find(role[0]).orElseThrow().name(), role[3]);
        }
    }

    @Test
    void everyManagedRoleHasItsManagedPolicies() throws SQLException {
        Map<String, Set<String>> policiesByRole = new LinkedHashMap<>();
        query("SELECT r.value, p.name FROM roles r JOIN role_policies rp ON rp.role_id = r.id "
                + "JOIN policies p ON p.id = rp.policy_id WHERE r.type = 'managed'",
                row -> policiesByRole.computeIfAbsent(row[0], v -> new HashSet<>()).add(row[1]));
        for (ManagedRole role : ManagedRoles.all()) {
            Set<String> policies = policiesByRole.getOrDefault(role.value(), Set.of());
            assertTrue(!policies.isEmpty(), role.value() + " has no policy");
            assertEquals(Set.copyOf(role.policyNames()), policies, role.value());
        }
    }

    @Test
    void wroteEveryManagedPolicyWithItsStatements() throws SQLException {
        assertEquals(ManagedPolicies.all().size(),
                count("SELECT count(*) FROM policies WHERE type = 'managed' AND org_id IS NULL"));
        assertEquals(0L, count("SELECT count(*) FROM policies p WHERE p.type = 'managed' "
                + "AND NOT EXISTS (SELECT 1 FROM policy_statements s WHERE s.policy_id = p.id)"));
    }

    @Test
    void wroteThePermissionCatalogue() throws SQLException {
        assertEquals(PermissionCatalogue.all().size(), count("SELECT count(*) FROM permissions"));
        Set<String> expected = PermissionCatalogue.all().stream().map(Permission::key).collect(Collectors.toSet());
        assertEquals(expected, Set.copyOf(strings("SELECT key FROM permissions")));
        assertEquals(PermissionCatalogue.find("campaigns:launch").orElseThrow().level().wire(),
                strings("SELECT level FROM permissions WHERE key = 'campaigns:launch'").get(0));
    }

    @Test
    void wroteTheOwnerTokenToAnOwnerOnlyFile() throws Exception {
        Path file = Tokens.dataDir().resolve("owner.token");
        assertTrue(Files.isRegularFile(file), file + " exists");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String token = Files.readString(file).trim();
        assertEquals(3, Tokens.parts(token).size(), "a JWT: header.payload.signature");
        assertEquals("rollcall", Tokens.claimsOf(token).get("iss"));
    }

    @Test
    void ownerTokenNamesTheBootstrapOwnerKeyWhichHoldsOrganizationOwner() throws SQLException {
        Map<String, Object> claims = Tokens.claimsOf(Tokens.owner());
        String keyId = (String) claims.get("sub");
        assertEquals(List.of("bootstrap owner"), strings("SELECT name FROM access_keys WHERE id = CAST(? AS uuid) "
                + "AND token_id = CAST(? AS uuid) AND revoked_at IS NULL", keyId, (String) claims.get("jti")));
        assertEquals(strings("SELECT CAST(id AS text) FROM organizations WHERE name = 'default'"),
                List.of((String) claims.get("org")));
        assertEquals(List.of("organization-owner"), strings("SELECT r.value FROM role_bindings b "
                + "JOIN roles r ON r.id = b.role_id WHERE b.principal_kind = 'access_key' "
                + "AND b.principal_id = CAST(? AS uuid) AND b.workspace_id IS NULL", keyId));

        given().auth().oauth2(Tokens.owner()).when().get("/admin/v1/access-keys/" + keyId)
                .then().statusCode(200)
                .body("name", equalTo("bootstrap owner"))
                .body("roles.value", hasItem("organization-owner"));
    }

    @Test
    void wroteTheSigningKeyToAnOwnerOnlyFile() throws Exception {
        Path privateKey = Tokens.dataDir().resolve("keys/signing-key.pem");
        assertTrue(Files.isRegularFile(privateKey), privateKey + " exists");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)));
        assertTrue(Files.readString(privateKey).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.isRegularFile(Tokens.dataDir().resolve("keys/signing-key.pub.pem")));
    }

    @Test
    void leftNoTemporarySecretFilesBehind() throws Exception {
        for (Path directory : List.of(Tokens.dataDir(), Tokens.dataDir().resolve("keys"))) {
            try (var files = Files.list(directory)) {
                List<String> leftovers = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
                assertEquals(List.of(), leftovers, directory.toString());
            }
        }
    }

    @Test
    void createdNothingTwice() throws SQLException {
        assertEquals(1L, count("SELECT count(*) FROM organizations WHERE name = 'default'"));
        assertEquals(1L, count(DEFAULT_ORG_OWNER_KEYS));
        assertEquals(0L, count("SELECT count(*) FROM (SELECT org_id, value FROM roles GROUP BY org_id, value "
                + "HAVING count(*) > 1) AS duplicates"));
        assertEquals(0L, count("SELECT count(*) FROM (SELECT name FROM policies WHERE org_id IS NULL GROUP BY name "
                + "HAVING count(*) > 1) AS duplicates"));
        assertEquals((long) MANAGED_ROLE_VALUES.size(), count("SELECT count(*) FROM roles r JOIN organizations o "
                + "ON o.id = r.org_id WHERE o.name = 'default' AND r.type = 'managed'"));
        assertEquals(1L, count("SELECT count(*) FROM role_bindings b JOIN roles r ON r.id = b.role_id "
                + "JOIN organizations o ON o.id = r.org_id "
                + "WHERE o.name = 'default' AND r.value = 'organization-owner' AND b.source = 'system'"));
    }

    // --- plain JDBC on the app's database ---------------------------------------------------------------------------

    private interface RowHandler {
        void handle(String[] row);
    }

    private static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getOptionalValue("quarkus.datasource.username", String.class).orElse(null),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(null));
    }

    private static void query(String sql, RowHandler handler, String... parameters) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    String[] row = new String[columns];
                    for (int c = 0; c < columns; c++) {
                        row[c] = rows.getString(c + 1);
                    }
                    handler.handle(row);
                }
            }
        }
    }

    private static List<String> strings(String sql, String... parameters) throws SQLException {
        List<String> values = new ArrayList<>();
        query(sql, row -> values.add(row[0]), parameters);
        return values;
    }

    private static long count(String sql) throws SQLException {
        return Long.parseLong(strings(sql).get(0));
    }
}
