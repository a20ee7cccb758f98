package io.rollcall.resource;

import java.time.Instant;
import java.util.UUID;

/**
 * What a reader of the audit log asks for: an organization's rows newest first, narrowed by any of time range
 * ({@code from} inclusive, {@code to} exclusive), actor, resource and action, after a position of an earlier page.
 *
 * @param actor  an access key's id, or {@code operator}; null for anyone
 * @param before the {@code seq} of the audit row of the last row of the previous page; null for the first page
 * @param limit  rows wanted; one more is read to learn whether another page follows
 */
public record AuditQuery(UUID orgId, Instant from, Instant to, String actor, String resourceType, String resourceId,
        String action, Long before, int limit) {
}
