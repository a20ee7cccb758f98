package io.rollcall.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The deliveries of change events to subscriptions ({@code event_deliveries}, V16; the fan-out trigger writes them in
 * the transaction of each change). The delivery worker claims due ones and records how each attempt went; the admin
 * API lists and re-drives dead letters. Each method is one statement: claiming commits the claim before anything is
 * sent, so no connection is held while a receiver answers. A re-drive is an administrator's change: it runs in the
 * caller's transaction, with its audit row.
 */
@ApplicationScoped
public class EventDeliveryRepository {

    /** A claimed delivery with what sending it needs: the event, the subscription's URL and signing. */
    public record ClaimedDelivery(long id, int attempt, UUID orgId, UUID subscriptionId, String url, String signing,
            byte[] sealedSecret, UUID eventId, String eventType, String resourceType, UUID resourceId,
            String payload, String requestId, Instant occurredAt) {
    }

    /** How an attempt went: the delivery's next state ({@code delivered}, {@code pending} to retry, {@code dead}). */
    public record Outcome(long id, int attempt, String state, Integer status, String error, double retryInSeconds) {
    }

    /** A dead letter as administrators see it. */
    public record DeadLetter(long id, UUID eventId, String eventType, String resourceType, UUID resourceId,
            Instant occurredAt, int attempts, Instant lastAttemptAt, Integer lastStatus, String lastError) {
    }

    /**
     * Claims up to $1 due deliveries for $2 seconds (the lease: one that is not recorded by then, because its
     * instance stopped, is due again). SKIP LOCKED lets several instances claim side by side, each row by one. A
     * delivery is due only when no earlier event of the same resource is pending for its subscription, so each
     * subscription receives a resource's events in order; paused subscriptions are left alone.
     */
    private static final String CLAIM = """
            WITH claimed AS (
                UPDATE event_deliveries d
                   SET attempts = d.attempts + 1, last_attempt_at = now(),
                       next_attempt_at = now() + make_interval(secs => $2)
                 WHERE d.id IN (
                       SELECT p.id FROM event_deliveries p
                         JOIN event_subscriptions s ON s.id = p.subscription_id
                        WHERE p.state = 'pending' AND p.next_attempt_at <= now() AND NOT s.paused
                          AND NOT EXISTS (SELECT 1 FROM event_deliveries q
                                           WHERE q.subscription_id = p.subscription_id
                                             AND q.resource_id = p.resource_id
                                             AND q.state = 'pending' AND q.event_seq < p.event_seq)
                        ORDER BY p.next_attempt_at, p.id
                        LIMIT $1
                        FOR UPDATE OF p SKIP LOCKED)
                RETURNING d.id, d.attempts, d.subscription_id, d.event_seq)
            SELECT c.id, c.attempts, s.org_id, s.id, s.url, s.signing, s.sealed_secret, e.id, e.event_type,
                   e.resource_type, e.resource_id, CAST(e.payload AS text), e.request_id, e.occurred_at
              FROM claimed c
              JOIN event_subscriptions s ON s.id = c.subscription_id
              JOIN change_events e ON e.seq = c.event_seq
             ORDER BY e.seq
            """;

    /** Records attempts, each only if it is still the attempt this instance claimed (its lease may have run out). */
    private static final String RECORD = """
            UPDATE event_deliveries d
               SET state = r.state, last_status = r.status, last_error = r.error,
                   delivered_at = CASE WHEN r.state = 'delivered' THEN now() END,
                   next_attempt_at = CASE WHEN r.state = 'pending' THEN now() + make_interval(secs => r.retry_in)
                                          ELSE d.next_attempt_at END
              FROM unnest($1::bigint[], $2::int[], $3::text[], $4::int[], $5::text[], $6::float8[])
                   AS r(id, attempt, state, status, error, retry_in)
             WHERE d.id = r.id AND d.attempts = r.attempt AND d.state = 'pending'
            """;

    private static final String DEAD_LETTERS = """
            SELECT d.id, e.id, e.event_type, e.resource_type, e.resource_id, e.occurred_at, d.attempts,
                   d.last_attempt_at, d.last_status, d.last_error
              FROM event_deliveries d
              JOIN change_events e ON e.seq = d.event_seq
             WHERE d.org_id = $1 AND d.subscription_id = $2 AND d.state = 'dead'
             ORDER BY d.event_seq
             LIMIT $3
            """;

    /** Dead letters become pending again, due now, with a fresh count of attempts. */
    private static final String REDRIVE = """
            UPDATE event_deliveries
               SET state = 'pending', attempts = 0, next_attempt_at = now()
             WHERE org_id = :org AND subscription_id = :subscription AND state = 'dead'
            """;

    private final Pool pool;

    public EventDeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<ClaimedDelivery>> claim(int limit, double leaseSeconds) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(limit, leaseSeconds)).map(EventDeliveryRepository::claimed);
    }

    public Uni<Void> record(List<Outcome> outcomes) {
        Object[] parameters = {
            outcomes.stream().map(Outcome::id).toArray(Long[]::new),
            outcomes.stream().map(Outcome::attempt).toArray(Integer[]::new),
            outcomes.stream().map(Outcome::state).toArray(String[]::new),
            outcomes.stream().map(Outcome::status).toArray(Integer[]::new),
            outcomes.stream().map(Outcome::error).toArray(String[]::new),
            outcomes.stream().map(Outcome::retryInSeconds).toArray(Double[]::new) };
        return pool.preparedQuery(RECORD).execute(Tuple.from(parameters)).replaceWithVoid();
    }

    public Uni<List<DeadLetter>> deadLetters(UUID orgId, UUID subscriptionId, int limit) {
        return pool.preparedQuery(DEAD_LETTERS).execute(Tuple.of(orgId, subscriptionId, limit)).map(rows -> {
            List<DeadLetter> letters = new ArrayList<>();
            for (Row row : rows) {
                letters.add(new DeadLetter(row.getLong(0), row.getUUID(1), row.getString(2), row.getString(3),
                        row.getUUID(4), EventSubscriptionRepository.instant(row.getOffsetDateTime(5)),
                        row.getInteger(6), EventSubscriptionRepository.instant(row.getOffsetDateTime(7)),
                        row.getInteger(8), row.getString(9)));
            }
            return letters;
        });
    }

    /** Makes the subscription's dead letters pending again, in the caller's transaction; how many. */
    public Uni<Integer> redrive(UUID orgId, UUID subscriptionId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(REDRIVE)
                .setParameter("org", orgId).setParameter("subscription", subscriptionId).executeUpdate());
    }

    private static List<ClaimedDelivery> claimed(RowSet<Row> rows) {
        List<ClaimedDelivery> claimed = new ArrayList<>();
        for (Row row : rows) {
            Buffer secret = row.getBuffer(6);
            claimed.add(new ClaimedDelivery(row.getLong(0), row.getInteger(1), row.getUUID(2), row.getUUID(3),
                    row.getString(4), row.getString(5), secret == null ? null : secret.getBytes(), row.getUUID(7),
                    row.getString(8), row.getString(9), row.getUUID(10), row.getString(11), row.getString(12),
                    EventSubscriptionRepository.instant(row.getOffsetDateTime(13))));
        }
        return claimed;
    }
}
