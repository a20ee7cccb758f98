package io.rollcall.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.resource.AuditQuery;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The audit log ({@code audit_events}, V14) and, with it, the change events of the same change ({@code change_events},
 * V15), written in the caller's transaction: the audit row by one statement, which also says whether the organization
 * has event subscriptions, and the events by a second one only when it has. A change in an organization without
 * subscriptions so costs one small statement. A subscription committed while a change's audit statement runs does not
 * receive that change's events (as a statement sees only what committed before it began). Reading is newest first by
 * {@code seq}, scoped by organization.
 */
@ApplicationScoped
public class AuditRepository {

    /** The audit row ($1 organization … $12 request id). */
    private static final String INSERT_ROW = """
            INSERT INTO audit_events (id, occurred_at, org_id, actor_kind, actor_id, actor_name, channel, action,
                                      resource_type, resource_id, attributes, result, status, request_id)
            VALUES (gen_random_uuid(), now(), $1, $2, $3, $4, $5, $6, $7, $8, CAST(CAST($9 AS text) AS jsonb), $10,
                    $11, $12)
            """;

    /** Whether organization $1 has any event subscription: only then are a change's events written ({@link #EVENTS}). */
    private static final String SUBSCRIBED = """
            SELECT EXISTS (SELECT 1 FROM event_subscriptions s WHERE s.org_id = $1)
            """;

    /**
     * The audit row, answering whether the organization has event subscriptions. The events statement is large (the
     * effective roles through nested groups); run for every change, its plan's start-up alone cost more than the audit
     * row, whether it wrote anything or not.
     */
    private static final String AUDIT = "WITH audit AS (\n" + INSERT_ROW + ")\n" + SUBSCRIBED;

    /**
     * {@link #AUDIT} with the fallback role's grant to the user just created ($13), the last step of a user create
     * without roles: the write identity providers send most is one statement shorter.
     */
    private static final String AUDIT_WITH_FALLBACK_GRANT = "WITH granted AS (\n"
            + FallbackRoleRepository.grantFallback("$1", "$13") + "), audit AS (\n" + INSERT_ROW + ")\n" + SUBSCRIBED;

    /**
     * The events of organization $1 that it subscribes to ({@link ChangeEventOutbox}), request id $2: the simple ones
     * ($3, a JSON array of {@link ChangeEventRow}s, often empty) in their order, then {@code user.roles_changed} for
     * the users listed in $4 and {@code group.roles_changed} for the groups in $5 (ids joined by commas, usually none),
     * each with the roles it holds now.
     */
    private static final String EVENTS = """
            WITH RECURSIVE role_users(user_id) AS (
                SELECT u.id FROM users u
                 WHERE u.org_id = $1 AND u.id = ANY (string_to_array($4, ',')::uuid[])
                   AND """ + ChangeEventOutbox.subscribed("$1", "'user.roles_changed'") + """
            ), """ + RoleChangeEvents.EFFECTIVE_ROLES.formatted("role_users", "$1") + """
            , role_groups(group_id) AS (
                SELECT g.id FROM groups g
                 WHERE g.org_id = $1 AND g.id = ANY (string_to_array($5, ',')::uuid[])
                   AND """ + ChangeEventOutbox.subscribed("$1", "'group.roles_changed'") + """
            ), events(n, event_type, resource_type, resource_id, payload) AS (
                SELECT e.n, e.event ->> 'event_type', e.event ->> 'resource_type',
                       CAST(e.event ->> 'resource_id' AS uuid), e.event -> 'payload'
                  FROM jsonb_array_elements(CAST(CAST($3 AS text) AS jsonb)) WITH ORDINALITY AS e(event, n)
                UNION ALL
                SELECT 1000000, 'user.roles_changed', 'User', r.user_id, jsonb_build_object('roles', r.roles)
                  FROM effective_roles r
                UNION ALL
                SELECT 2000000, 'group.roles_changed', 'Group', g.group_id, jsonb_build_object('roles', COALESCE(
                       (SELECT jsonb_agg(DISTINCT r.value || COALESCE('@' || w.name, ''))
                          FROM role_bindings b JOIN roles r ON r.id = b.role_id LEFT JOIN workspaces w ON w.id = b.workspace_id
                         WHERE b.org_id = $1 AND b.principal_kind = 'group' AND b.principal_id = g.group_id),
                       '[]'::jsonb))
                  FROM role_groups g
            )
            INSERT INTO change_events (id, org_id, event_type, resource_type, resource_id, payload, request_id, occurred_at)
            SELECT gen_random_uuid(), $1, e.event_type, e.resource_type, e.resource_id, e.payload, $2, now()
              FROM events e
             WHERE """ + ChangeEventOutbox.subscribed("$1", "e.event_type") + """
             ORDER BY e.n
            """;

    private static final String COLUMNS = """
            SELECT seq, CAST(id AS text), occurred_at, CAST(org_id AS text), actor_kind, CAST(actor_id AS text),
                   actor_name, channel, action, resource_type, resource_id, CAST(attributes AS text), result, status,
                   request_id
              FROM audit_events
             WHERE org_id = :org""";

    /** Rows purged per statement, so that a purge never holds many row locks or a long transaction. */
    public static final int PURGE_BATCH = 5_000;

    /**
     * The oldest rows past the cutoff of a table written in seq order (the audit log, the outbox): the first rows by seq
     * (its primary key), of which those older than the cutoff go, so that each statement reads at most one batch
     * whatever the table holds. A row's time is its transaction's start, so a row may follow a younger one by the
     * length of a transaction; it goes once the younger rows before it have ({@link #purgeAuditBefore}).
     */
    private static final String PURGE_OLDEST = """
            DELETE FROM %1$s WHERE seq IN (
                SELECT seq FROM (SELECT seq, occurred_at FROM %1$s ORDER BY seq LIMIT :batch) oldest
                 WHERE occurred_at < :cutoff)
            """;

    private static final String PURGE_AUDIT = PURGE_OLDEST.formatted("audit_events");

    private static final String PURGE_CHANGE_EVENTS = PURGE_OLDEST.formatted("change_events");

    /**
     * Writes the audit row and the change's events in the caller's transaction: one statement, and a second for the
     * events when the organization has a subscription. {@code row.seq}, {@code id} and {@code occurredAt} are ignored:
     * the database assigns them (occurredAt is the transaction's start).
     */
    public Uni<Void> record(AuditRecord row, List<ChangeEventRow> events, Collection<UUID> roleUsers,
            Collection<UUID> roleGroups) {
        return SessionStatements.select(AUDIT, parameters(row))
                .chain(answer -> subscribed(answer) ? recordEvents(row, events, roleUsers, roleGroups)
                        : Uni.createFrom().voidItem());
    }

    /**
     * Binds the organization's fallback role to a user just created without roles and writes the create's audit row,
     * in one statement of the caller's transaction, as {@link #record} would (the events, if any, then go with
     * {@link #recordEvents}).
     *
     * @return whether the organization has event subscriptions
     */
    public Uni<Boolean> recordWithFallbackGrant(AuditRecord row, UUID userId) {
        Object[] audit = parameters(row);
        Object[] parameters = Arrays.copyOf(audit, audit.length + 1);
        parameters[audit.length] = userId;
        return SessionStatements.select(AUDIT_WITH_FALLBACK_GRANT, parameters).map(AuditRepository::subscribed);
    }

    /** Writes the change's events, for an organization with event subscriptions, after its audit row. */
    public Uni<Void> recordEvents(AuditRecord row, List<ChangeEventRow> events, Collection<UUID> roleUsers,
            Collection<UUID> roleGroups) {
        if (events.isEmpty() && roleUsers.isEmpty() && roleGroups.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return SessionStatements.update(EVENTS, row.orgId(), row.requestId(), json(events), joined(roleUsers),
                joined(roleGroups)).replaceWithVoid();
    }

    private static Object[] parameters(AuditRecord row) {
        return new Object[] { row.orgId(), row.actorKind(), row.actorId(), row.actorName(), row.channel(), row.action(),
            row.resourceType(), row.resourceId(), names(row.attributes()), row.result(), row.status(),
            row.requestId() };
    }

    private static boolean subscribed(List<Object[]> answer) {
        return Boolean.TRUE.equals(answer.get(0)[0]);
    }

    /** The attribute names as a JSON array (Jackson's escaping without its object mapper, for every change). */
    private static String names(Collection<String> attributes) {
        StringBuilder json = new StringBuilder(16 * attributes.size() + 2).append('[');
        for (String name : attributes) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"');
            JsonStringEncoder.getInstance().quoteAsString(name, json);
            json.append('"');
        }
        return json.append(']').toString();
    }

    /** The simple events as the events statement reads them ($3). */
    private static String json(List<ChangeEventRow> events) {
        JsonArray array = new JsonArray();
        for (ChangeEventRow event : events) {
            array.add(new JsonObject().put("event_type", event.eventType()).put("resource_type", event.resourceType())
                    .put("resource_id", event.resourceId().toString()).put("payload", new JsonObject(event.payload())));
        }
        return array.encode();
    }

    /** One page of the organization's rows, newest first, with one row more than asked when another page follows. */
    public Uni<List<AuditRecord>> search(AuditQuery query) {
        StringBuilder sql = new StringBuilder(COLUMNS);
        if (query.from() != null) {
            sql.append(" AND occurred_at >= :from");
        }
        if (query.to() != null) {
            sql.append(" AND occurred_at < :to");
        }
        if (query.actor() != null) {
            sql.append(query.actor().equals("operator") ? " AND actor_kind = 'operator'"
                    : " AND actor_id = CAST(:actor AS uuid)");
        }
        if (query.resourceType() != null) {
            sql.append(" AND resource_type = :resourceType");
        }
        if (query.resourceId() != null) {
            sql.append(" AND resource_id = :resourceId");
        }
        if (query.action() != null) {
            sql.append(" AND action = :action");
        }
        if (query.before() != null) {
            sql.append(" AND seq < :before");
        }
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        return Panache.getSession().chain(session -> {
            var select = session.createNativeQuery(sql.toString(), Object[].class).setParameter("org", query.orgId())
                    .setParameter("limit", query.limit() + 1);
            if (query.from() != null) {
                select.setParameter("from", OffsetDateTime.ofInstant(query.from(), java.time.ZoneOffset.UTC));
            }
            if (query.to() != null) {
                select.setParameter("to", OffsetDateTime.ofInstant(query.to(), java.time.ZoneOffset.UTC));
            }
            if (query.actor() != null && !query.actor().equals("operator")) {
                select.setParameter("actor", query.actor());
            }
            if (query.resourceType() != null) {
                select.setParameter("resourceType", query.resourceType());
            }
            if (query.resourceId() != null) {
                select.setParameter("resourceId", query.resourceId());
            }
            if (query.action() != null) {
                select.setParameter("action", query.action());
            }
            if (query.before() != null) {
                select.setParameter("before", query.before());
            }
            return select.getResultList();
        }).map(rows -> rows.stream().map(AuditRepository::row).toList());
    }

    /**
     * Deletes the audit rows older than the cutoff among the {@link #PURGE_BATCH} oldest; @return how many went (none:
     * nothing older is left, but for rows behind a younger one)
     */
    public Uni<Integer> purgeAuditBefore(Instant cutoff) {
        return purge(PURGE_AUDIT, cutoff);
    }

    /**
     * Deletes the change events older than the cutoff among the {@link #PURGE_BATCH} oldest, delivered or not (the
     * retention bounds the outbox as it bounds the log); @return how many went
     */
    public Uni<Integer> purgeChangeEventsBefore(Instant cutoff) {
        return purge(PURGE_CHANGE_EVENTS, cutoff);
    }

    private static Uni<Integer> purge(String sql, Instant cutoff) {
        return Panache.getSession().chain(session -> session.createNativeQuery(sql)
                .setParameter("cutoff", OffsetDateTime.ofInstant(cutoff, java.time.ZoneOffset.UTC))
                .setParameter("batch", PURGE_BATCH).executeUpdate());
    }

    private static AuditRecord row(Object[] row) {
        List<String> attributes = new ArrayList<>();
        new JsonArray((String) row[11]).forEach(name -> attributes.add((String) name));
        return new AuditRecord(((Number) row[0]).longValue(), UUID.fromString((String) row[1]),
                NativeRows.instant(row[2]), row[3] == null ? null : UUID.fromString((String) row[3]), (String) row[4],
                row[5] == null ? null : UUID.fromString((String) row[5]), (String) row[6], (String) row[7],
                (String) row[8], (String) row[9], (String) row[10], attributes, (String) row[12],
                ((Number) row[13]).intValue(), (String) row[14]);
    }

    private static String joined(Collection<UUID> ids) {
        return ids.stream().map(UUID::toString).collect(Collectors.joining(","));
    }
}
