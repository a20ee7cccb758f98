package io.rollcall.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * An organization's webhook subscriptions to change events ({@code event_subscriptions}, V16). Every statement is
 * scoped by organization; each is one statement, so none needs a transaction. The sealed HMAC secret is written here
 * and read only by the delivery worker ({@link EventDeliveryRepository#claim}), never listed.
 */
@ApplicationScoped
public class EventSubscriptionRepository {

    /** A subscription as administrators see it, with its deliveries' counts; never its secret. */
    public record SubscriptionRow(UUID id, String url, List<String> eventTypes, String signing, boolean paused,
            Instant createdAt, Instant updatedAt, long pending, long dead, Instant lastDeliveredAt) {
    }

    private static final String COLUMNS = """
            SELECT s.id, s.url, s.event_types, s.signing, s.paused, s.created_at, s.updated_at,
                   (SELECT count(*) FROM event_deliveries d WHERE d.subscription_id = s.id AND d.state = 'pending'),
                   (SELECT count(*) FROM event_deliveries d WHERE d.subscription_id = s.id AND d.state = 'dead'),
                   (SELECT max(d.delivered_at) FROM event_deliveries d
                     WHERE d.subscription_id = s.id AND d.state = 'delivered')
              FROM event_subscriptions s
            """;

    private static final String INSERT = """
            INSERT INTO event_subscriptions (id, org_id, url, event_types, signing, sealed_secret, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
            """;

    private static final String COUNT = "SELECT count(*) FROM event_subscriptions WHERE org_id = $1";

    private static final String LIST = COLUMNS + " WHERE s.org_id = $1 ORDER BY s.created_at, s.id";

    private static final String FIND = COLUMNS + " WHERE s.org_id = $1 AND s.id = $2";

    /** A null parameter leaves its column as it is. */
    private static final String UPDATE = """
            UPDATE event_subscriptions
               SET url = COALESCE($3, url), event_types = COALESCE($4, event_types), paused = COALESCE($5, paused),
                   updated_at = $6
             WHERE org_id = $1 AND id = $2
            """;

    private static final String DELETE = "DELETE FROM event_subscriptions WHERE org_id = $1 AND id = $2";

    private final Pool pool;

    public EventSubscriptionRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(UUID orgId, UUID id, String url, List<String> eventTypes, String signing,
            byte[] sealedSecret, Instant now) {
        return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] { id, orgId, url,
                eventTypes.toArray(String[]::new), signing,
                sealedSecret == null ? null : io.vertx.core.buffer.Buffer.buffer(sealedSecret), utc(now) }))
                .replaceWithVoid();
    }

    public Uni<Long> count(UUID orgId) {
        return pool.preparedQuery(COUNT).execute(Tuple.of(orgId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<List<SubscriptionRow>> list(UUID orgId) {
        return pool.preparedQuery(LIST).execute(Tuple.of(orgId))
                .map(rows -> {
                    List<SubscriptionRow> list = new ArrayList<>();
                    rows.forEach(row -> list.add(toRow(row)));
                    return list;
                });
    }

    public Uni<Optional<SubscriptionRow>> find(UUID orgId, UUID id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(orgId, id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toRow(rows.iterator().next())));
    }

    /** Changes what is given (null: unchanged); whether the organization has such a subscription. */
    public Uni<Boolean> update(UUID orgId, UUID id, String url, List<String> eventTypes, Boolean paused, Instant now) {
        return pool.preparedQuery(UPDATE).execute(Tuple.from(new Object[] { orgId, id, url,
                eventTypes == null ? null : eventTypes.toArray(String[]::new), paused, utc(now) }))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Deletes the subscription and its deliveries, pending and dead; whether there was one. */
    public Uni<Boolean> delete(UUID orgId, UUID id) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(orgId, id)).map(rows -> rows.rowCount() > 0);
    }

    private static SubscriptionRow toRow(Row row) {
        return new SubscriptionRow(row.getUUID(0), row.getString(1), List.of(row.getArrayOfStrings(2)),
                row.getString(3), row.getBoolean(4), instant(row.getOffsetDateTime(5)),
                instant(row.getOffsetDateTime(6)), row.getLong(7), row.getLong(8), instant(row.getOffsetDateTime(9)));
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
