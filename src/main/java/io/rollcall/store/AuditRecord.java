package io.rollcall.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of the audit log: who ({@code actorKind} {@code access_key} or {@code operator}, with the key's id and name)
 * did what ({@code action} on {@code resourceType}/{@code resourceId}, setting the {@code attributes} named — names,
 * never values) through which channel, and how it ended ({@code result} {@code success}, {@code refused} or
 * {@code failed}, with the HTTP status the client got).
 *
 * @param seq        the row's place in the log (newest is highest); the admin API's cursor position, never shown
 * @param orgId      the organization the change belongs to; for the operator's changes, the organization changed
 *                   (null for its deletion, recorded in the operator's log only, and for a refused create)
 * @param resourceId null when the resource is the organization's settings, or a create was refused before an id existed
 */
public record AuditRecord(long seq, UUID id, Instant occurredAt, UUID orgId, String actorKind, UUID actorId,
        String actorName, String channel, String action, String resourceType, String resourceId, List<String> attributes,
        String result, int status, String requestId) {

    public AuditRecord {
        attributes = List.copyOf(attributes);
    }
}
