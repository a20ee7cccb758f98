package io.rollcall.store;

import java.util.UUID;

/**
 * A change event to write into the outbox ({@code change_events}, V15) in the transaction of its change.
 *
 * @param eventType one of V15's vocabulary ({@code user.created} … {@code group.roles_changed})
 * @param payload   a JSON object, what a receiver needs beyond the envelope; never a password or a secret
 */
public record ChangeEventRow(String eventType, String resourceType, UUID resourceId, String payload) {
}
