package io.rollcall.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.rollcall.auth.CurrentCaller;
import io.rollcall.resource.Ids;
import io.rollcall.service.AuditService;
import io.rollcall.service.ScimFailure;
import io.rollcall.resource.AuditQuery;
import io.rollcall.store.AuditRecord;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /admin/v1/audit-events} ({@code audit:read}): the organization's audit log, newest first, narrowed by
 * {@code from} (inclusive) and {@code to} (exclusive) instants, {@code actor} (an access key id, or {@code operator}),
 * {@code resourceType}, {@code resourceId} and {@code action}, in pages of {@code count} (default 50, at most 500); an
 * answer with {@code nextCursor} has more, which {@code cursor=<nextCursor>} with the same filters returns. A bad
 * parameter is a 400 problem naming it (RFC 9457).
 */
@Path("/admin/v1/audit-events")
@Produces(MediaType.APPLICATION_JSON)
public class AuditEventsEndpoint {

    static final int DEFAULT_COUNT = 50;
    static final int MAX_COUNT = 500;

    private final AuditService audit;
    private final AuditCursors cursors;
    private final CurrentCaller caller;

    public AuditEventsEndpoint(AuditService audit, AuditCursors cursors, CurrentCaller caller) {
        this.audit = audit;
        this.cursors = cursors;
        this.caller = caller;
    }

    public record Actor(String kind, UUID id, String name) {
    }

    public record Resource(String type, String id) {
    }

    public record AuditEvent(UUID id, Instant occurredAt, Actor actor, String channel, String action, Resource resource,
            List<String> attributes, String result, int status, String requestId) {

        static AuditEvent of(AuditRecord row) {
            return new AuditEvent(row.id(), row.occurredAt(), new Actor(row.actorKind(), row.actorId(), row.actorName()),
                    row.channel(), row.action(), new Resource(row.resourceType(), row.resourceId()), row.attributes(),
                    row.result(), row.status(), row.requestId());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuditEventList(List<AuditEvent> items, String nextCursor) {
    }

    @GET
    public Uni<AuditEventList> list(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("actor") String actor, @QueryParam("resourceType") String resourceType,
            @QueryParam("resourceId") String resourceId, @QueryParam("action") String action,
            @QueryParam("count") String count, @QueryParam("cursor") String cursor) {
        UUID orgId = caller.get().orgId();
        int[] limit = new int[1];
        // what the cursor is bound to: every filter, so that it cannot page another query
        String filters = String.join("\n", String.valueOf(from), String.valueOf(to), String.valueOf(actor),
                String.valueOf(resourceType), String.valueOf(resourceId), String.valueOf(action), String.valueOf(count));
        return audit.search(caller.get(), () -> {
            limit[0] = count(count);
            Instant fromInstant = instant("from", from);
            Instant toInstant = instant("to", to);
            if (actor != null && !actor.equals("operator") && Ids.parse(actor).isEmpty()) {
                throw invalid("'actor' is '" + actor + "'; give an access key's id, or operator");
            }
            Long before = cursor == null || cursor.isEmpty() ? null : cursors.open(cursor, orgId, filters);
            return new AuditQuery(orgId, fromInstant, toInstant, actor, resourceType, resourceId, action, before,
                    limit[0]);
        }).map(rows -> {
            boolean more = rows.size() > limit[0];
            List<AuditRecord> page = more ? rows.subList(0, limit[0]) : rows;
            String next = more ? cursors.seal(page.get(page.size() - 1).seq(), orgId, filters) : null;
            return new AuditEventList(page.stream().map(AuditEvent::of).toList(), next);
        });
    }

    private static int count(String count) {
        if (count == null) {
            return DEFAULT_COUNT;
        }
        try {
            int value = Integer.parseInt(count);
            if (value >= 1 && value <= MAX_COUNT) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid("'count' is '" + count + "'; give a whole number from 1 to " + MAX_COUNT);
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid("'" + name + "' is '" + value + "'; give an instant such as 2026-12-01T00:00:00Z");
        }
    }

    private static ScimFailure invalid(String detail) {
        return ScimFailure.of(BadRequestException.invalidValue(detail));
    }
}
