package io.rollcall.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plain JDBC on the application's database, for what the admin API under test does not make: custom roles and the
 * policies attached to them (their endpoints belong to {@code /admin/v1/roles}), and facts the API does not show.
 */
public final class AccessRows {

    private AccessRows() {
    }

    public static String orgId() {
        return (String) Tokens.claimsOf(Tokens.owner()).get("org");
    }

    /** A custom role using the given policies; returns its id. Its value is {@code value}, its name the same. */
    public static String customRole(String value, String... policyIds) {
        String id = UUID.randomUUID().toString();
        update("INSERT INTO roles (id, org_id, value, name, description, type) "
                + "VALUES (CAST(? AS uuid), CAST(? AS uuid), ?, ?, '', 'custom')", id, orgId(), value, value);
        for (String policyId : policyIds) {
            attach(id, policyId);
        }
        return id;
    }

    public static void attach(String roleId, String policyId) {
        update("INSERT INTO role_policies (role_id, policy_id) VALUES (CAST(? AS uuid), CAST(? AS uuid))", roleId,
                policyId);
    }

    /** A policy private to the role (as ticking permissions makes one), allowing the permissions everywhere. */
    public static String privatePolicy(String roleId, String name, String... permissions) {
        String id = UUID.randomUUID().toString();
        update("INSERT INTO policies (id, org_id, name, type, role_id) "
                + "VALUES (CAST(? AS uuid), CAST(? AS uuid), ?, 'organization', CAST(? AS uuid))", id, orgId(), name,
                roleId);
        update("INSERT INTO policy_statements (policy_id, position, effect, permissions) "
                + "VALUES (CAST(? AS uuid), 0, 'allow', string_to_array(?, ','))", id, String.join(",", permissions));
        attach(roleId, id);
        return id;
    }

    public static List<String> strings(String sql, String... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public static void update(String sql, String... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** A connection of its own to the application's database (the caller closes it). */
    public static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getOptionalValue("quarkus.datasource.username", String.class).orElse(null),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(null));
    }
}
