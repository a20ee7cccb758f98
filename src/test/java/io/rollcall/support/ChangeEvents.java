package io.rollcall.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Change events written as the services write them (V15: one {@code change_events} row per change, in its own
 * committed transaction), for the delivery tests until the services write them themselves (branch audit15); then
 * these tests can make the same events with real SCIM requests. Also reads the deliveries' state for the tests.
 */
public final class ChangeEvents {

    private ChangeEvents() {
    }

    /** An event as a committed change writes it; returns its id (the SET's {@code jti}). */
    public static String insert(String orgId, String eventType, String resourceType, String resourceId,
            String payloadJson) {
        String id = UUID.randomUUID().toString();
        try (Connection connection = AccessRows.connect(); PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO change_events (id, org_id, event_type, resource_type, resource_id, payload, request_id, "
                        + "occurred_at) VALUES (CAST(? AS uuid), CAST(? AS uuid), ?, ?, CAST(? AS uuid), "
                        + "CAST(? AS jsonb), ?, now())")) {
            statement.setString(1, id);
            statement.setString(2, orgId);
            statement.setString(3, eventType);
            statement.setString(4, resourceType);
            statement.setString(5, resourceId);
            statement.setString(6, payloadJson);
            statement.setString(7, "test-" + id.substring(0, 8));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    /** Several events in one transaction, as one change that affects several resources writes them. */
    public static List<String> insertTogether(String orgId, String eventType, String resourceType,
            List<String> resourceIds) {
        List<String> ids = new ArrayList<>();
        try (Connection connection = AccessRows.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO change_events (id, org_id, event_type, resource_type, resource_id, occurred_at) "
                            + "VALUES (CAST(? AS uuid), CAST(? AS uuid), ?, ?, CAST(? AS uuid), now())")) {
                for (String resourceId : resourceIds) {
                    String id = UUID.randomUUID().toString();
                    statement.setString(1, id);
                    statement.setString(2, orgId);
                    statement.setString(3, eventType);
                    statement.setString(4, resourceType);
                    statement.setString(5, resourceId);
                    statement.executeUpdate();
                    ids.add(id);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /** The delivery's state, attempts and last error for the event at the subscription. */
    public record Delivery(String state, int attempts, Integer lastStatus, String lastError, Instant deliveredAt) {
    }

    public static Delivery delivery(String subscriptionId, String eventId) {
        try (Connection connection = AccessRows.connect(); PreparedStatement statement = connection.prepareStatement(
                "SELECT d.state, d.attempts, d.last_status, d.last_error, d.delivered_at FROM event_deliveries d "
                        + "JOIN change_events e ON e.seq = d.event_seq "
                        + "WHERE d.subscription_id = CAST(? AS uuid) AND e.id = CAST(? AS uuid)")) {
            statement.setString(1, subscriptionId);
            statement.setString(2, eventId);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                int status = row.getInt(3);
                Integer lastStatus = row.wasNull() ? null : status;
                return new Delivery(row.getString(1), row.getInt(2), lastStatus, row.getString(4),
                        row.getTimestamp(5) == null ? null : row.getTimestamp(5).toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
