package io.rollcall.support;

import java.util.List;
import java.util.UUID;

/**
 * The audit log and the change-event outbox as they stand in the database, read with plain SQL, so that tests assert on
 * what was written (and what was not) rather than on what the API chooses to show. Rows are found by the request id a
 * test sends ({@code X-Request-Id}), which the server records on both.
 */
public final class AuditRows {

    private AuditRows() {
    }

    /** A fresh request id for one request of a test. */
    public static String requestId() {
        return "test-" + UUID.randomUUID();
    }

    /**
     * The audit rows of a request, oldest first, as
     * {@code action resourceType resourceId result status channel actorKind actorName attributes}.
     */
    public static List<String> audit(String requestId) {
        return AccessRows.strings("SELECT concat_ws(' ', action, resource_type, coalesce(resource_id, '-'), result, status, "
                + "channel, actor_kind, actor_name, attributes::text) FROM audit_events WHERE request_id = ? ORDER BY seq",
                requestId);
    }

    /** Every column of the request's audit rows as text, to look for values that must never be there. */
    public static String auditRowsText(String requestId) {
        return String.join("\n", AccessRows.strings("SELECT row_to_json(a)::text FROM audit_events a "
                + "WHERE request_id = ? ORDER BY seq", requestId));
    }

    /** The change events of a request, oldest first, as {@code eventType resourceType resourceId payload}. */
    public static List<String> events(String requestId) {
        return AccessRows.strings("SELECT concat_ws(' ', event_type, resource_type, resource_id, payload::text) "
                + "FROM change_events WHERE request_id = ? ORDER BY seq", requestId);
    }

    /** Every column of the request's change events as text. */
    public static String eventRowsText(String requestId) {
        return String.join("\n", AccessRows.strings("SELECT row_to_json(e)::text FROM change_events e "
                + "WHERE request_id = ? ORDER BY seq", requestId));
    }

    /** The event types written for the resource, oldest first. */
    public static List<String> eventTypesOf(String resourceId) {
        return AccessRows.strings("SELECT event_type FROM change_events WHERE resource_id = CAST(? AS uuid) ORDER BY seq",
                resourceId);
    }

    /**
     * A paused subscription of the organization to the given event types ({@code *}: all): outbox rows are
     * written only for subscribed types, and a paused subscription keeps its deliveries without attempting them.
     * @return its id, for {@link #unsubscribe}
     */
    public static String subscribePaused(String orgId, String... eventTypes) {
        String id = java.util.UUID.randomUUID().toString();
        AccessRows.update("INSERT INTO event_subscriptions (id, org_id, url, event_types, signing, paused, created_at, "
                + "updated_at) VALUES (CAST(? AS uuid), CAST(? AS uuid), 'http://127.0.0.1:9/paused', "
                + "string_to_array(?, ','), 'jwt', true, now(), now())", id, orgId,
                String.join(",", eventTypes));
        return id;
    }

    public static void unsubscribe(String subscriptionId) {
        AccessRows.update("DELETE FROM event_subscriptions WHERE id = CAST(? AS uuid)", subscriptionId);
    }
}
