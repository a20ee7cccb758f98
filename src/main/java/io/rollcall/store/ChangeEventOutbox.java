package io.rollcall.store;

/**
 * When a change writes its change events ({@code change_events}, V15): only for an organization with a subscription to
 * the event's type (paused ones included, since their deliveries resume in order). Nothing reads an outbox row but
 * the delivery of a subscription, so an organization without one pays no outbox row, no fan-out and, for role changes,
 * no comparison of effective roles. The statements that write events include this condition, written once.
 */
final class ChangeEventOutbox {

    private ChangeEventOutbox() {
    }

    /**
     * A condition true when organization {@code org} subscribes to events of type {@code eventType} (both SQL
     * expressions: a parameter, a column, or a literal such as {@code 'user.roles_changed'}). With a literal type it is
     * uncorrelated, so PostgreSQL evaluates it once per statement and skips the part it guards when it is false.
     */
    static String subscribed(String org, String eventType) {
        // spaced on both sides: the text blocks it is joined to lose their trailing spaces
        return " EXISTS (SELECT 1 FROM event_subscriptions s WHERE s.org_id = " + org + " AND (" + eventType
                + " = ANY (s.event_types) OR '*' = ANY (s.event_types))) ";
    }
}
