package io.rollcall.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * An organization of its own for a repository test, written and read with plain SQL: users, groups (nested too), roles
 * and bindings, and the bindings as rows {@code user:<userName> <role value> <source>} to compare before and after.
 */
final class AccessRuleRows implements AutoCloseable {

    final UUID org = UUID.randomUUID();
    private final Connection connection;

    AccessRuleRows(String fallbackRole) throws SQLException {
        var config = ConfigProvider.getConfig();
        connection = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
        update("INSERT INTO organizations (id, name, settings) VALUES (?, ?, jsonb_build_object('fallbackRole', ?::text))",
                org, "rules-" + org, fallbackRole);
    }

    UUID role(String value) throws SQLException {
        UUID id = UUID.randomUUID();
        update("INSERT INTO roles (id, org_id, value, name, type) VALUES (?, ?, ?, ?, 'custom')", id, org, value, value);
        return id;
    }

    UUID user(String userName, boolean active) throws SQLException {
        UUID id = UUID.randomUUID();
        update("INSERT INTO users (id, org_id, user_name, active, data) VALUES (?, ?, ?, ?, '{}')", id, org, userName,
                active);
        return id;
    }

    UUID group(String name, UUID... members) throws SQLException {
        UUID id = UUID.randomUUID();
        update("INSERT INTO groups (id, org_id, display_name, data) VALUES (?, ?, ?, '{}')", id, org, name);
        for (UUID member : members) {
            addMember(id, member);
        }
        return id;
    }

    void addMember(UUID group, UUID member) throws SQLException {
        update("INSERT INTO group_members (group_id, member_id, member_type, org_id) SELECT ?, ?, "
                + "CASE WHEN EXISTS (SELECT 1 FROM groups WHERE id = ?) THEN 'Group' ELSE 'User' END, ?", group, member,
                member, org);
    }

    void removeMember(UUID group, UUID member) throws SQLException {
        update("DELETE FROM group_members WHERE group_id = ? AND member_id = ?", group, member);
    }

    void bind(String kind, UUID principal, UUID role, String source) throws SQLException {
        update("INSERT INTO role_bindings (id, org_id, principal_kind, principal_id, role_id, source) "
                + "VALUES (gen_random_uuid(), ?, ?, ?, ?, ?)", org, kind, principal, role, source);
    }

    void unbind(String kind, UUID principal, UUID role) throws SQLException {
        update("DELETE FROM role_bindings WHERE org_id = ? AND principal_kind = ? AND principal_id = ? AND role_id = ?",
                org, kind, principal, role);
    }

    void deactivate(UUID user) throws SQLException {
        update("UPDATE users SET active = false WHERE id = ?", user);
    }

    /** The organization's bindings, sorted: {@code user:ana fallback system}, {@code group:Sales editor scim}. */
    List<String> bindings() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT b.principal_kind || ':' || COALESCE(u.user_name, g.display_name) || ' ' || r.value || ' ' || b.source
                  FROM role_bindings b JOIN roles r ON r.id = b.role_id
                  LEFT JOIN users u ON b.principal_kind = 'user' AND u.id = b.principal_id
                  LEFT JOIN groups g ON b.principal_kind = 'group' AND g.id = b.principal_id
                 WHERE b.org_id = ? ORDER BY 1""")) {
            statement.setObject(1, org);
            List<String> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(result.getString(1));
                }
            }
            return rows;
        }
    }

    private void update(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        update("DELETE FROM organizations WHERE id = ?", org);
        connection.close();
    }
}
