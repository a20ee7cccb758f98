package io.rollcall.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;

/**
 * An organization's webhook subscriptions to change events ({@code event_subscriptions}, V16). Statements run in the
 * caller's session, writes in its transaction (the change's, with its audit row); every statement is scoped by
 * organization. The sealed HMAC secret is written here and read only by the delivery worker
 * ({@link EventDeliveryRepository#claim}), never listed.
 */
@ApplicationScoped
public class EventSubscriptionRepository {

    /** A subscription as administrators see it, with its deliveries' counts; never its secret. */
    public record SubscriptionRow(UUID id, String url, List<String> eventTypes, String signing, boolean paused,
            Instant createdAt, Instant updatedAt, long pending, long dead, Instant lastDeliveredAt) {
    }

    /** Event types travel as a JSON array of strings (V15's vocabulary, or {@code *}). */
    private static final String TYPES = "ARRAY(SELECT jsonb_array_elements_text(CAST(CAST(:types AS text) AS jsonb)))";

    private static final String COLUMNS = """
            SELECT CAST(s.id AS text), s.url, CAST(to_jsonb(s.event_types) AS text), s.signing, s.paused,
                   s.created_at, s.updated_at,
                   (SELECT count(*) FROM event_deliveries d WHERE d.subscription_id = s.id AND d.state = 'pending'),
                   (SELECT count(*) FROM event_deliveries d WHERE d.subscription_id = s.id AND d.state = 'dead'),
                   (SELECT max(d.delivered_at) FROM event_deliveries d
                     WHERE d.subscription_id = s.id AND d.state = 'delivered')
              FROM event_subscriptions s
            """;

    private static final String INSERT = """
            INSERT INTO event_subscriptions (id, org_id, url, event_types, signing, sealed_secret, created_at, updated_at)
            VALUES (:id, :org, :url, %s, :signing, decode(CAST(:secret AS text), 'base64'), :now, :now)
            """.formatted(TYPES);

    private static final String COUNT = "SELECT count(*) FROM event_subscriptions WHERE org_id = :org";

    private static final String LIST = COLUMNS + " WHERE s.org_id = :org ORDER BY s.created_at, s.id";

    private static final String FIND = COLUMNS + " WHERE s.org_id = :org AND s.id = :id";

    /** A null parameter leaves its column as it is. */
    private static final String UPDATE = """
            UPDATE event_subscriptions
               SET url = COALESCE(CAST(:url AS text), url),
                   event_types = CASE WHEN CAST(:types AS text) IS NULL THEN event_types ELSE %s END,
                   paused = COALESCE(CAST(:paused AS boolean), paused),
                   updated_at = :now
             WHERE org_id = :org AND id = :id
            """.formatted(TYPES);

    private static final String DELETE = "DELETE FROM event_subscriptions WHERE org_id = :org AND id = :id";

    /**
     * Serialises the organization's subscription creates until the transaction ends, so that counting the subscriptions
     * and adding one cannot interleave with another create. Count in a statement after this one: a statement's snapshot
     * is taken before it waits for the lock.
     */
    public Uni<Void> lockCreates(UUID orgId) {
        return Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT CAST(pg_advisory_xact_lock(" + AdvisoryLocks.EVENT_SUBSCRIPTION_CREATES
                        + ", hashtext(CAST(:org AS text))) AS text)")
                .setParameter("org", orgId.toString()).getSingleResult())
                .replaceWithVoid();
    }

    public Uni<Void> insert(UUID orgId, UUID id, String url, List<String> eventTypes, String signing,
            byte[] sealedSecret, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT)
                .setParameter("id", id).setParameter("org", orgId).setParameter("url", url)
                .setParameter("types", new JsonArray(List.copyOf(eventTypes)).encode())
                .setParameter("signing", signing)
                .setParameter("secret", sealedSecret == null ? null : Base64.getEncoder().encodeToString(sealedSecret))
                .setParameter("now", utc(now)).executeUpdate())
                .replaceWithVoid();
    }

    public Uni<Long> count(UUID orgId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(COUNT, Long.class)
                .setParameter("org", orgId).getSingleResult());
    }

    public Uni<List<SubscriptionRow>> list(UUID orgId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(LIST, Object[].class)
                .setParameter("org", orgId).getResultList())
                .map(rows -> rows.stream().map(EventSubscriptionRepository::toRow).toList());
    }

    public Uni<Optional<SubscriptionRow>> find(UUID orgId, UUID id) {
        return Panache.getSession().chain(session -> session.createNativeQuery(FIND, Object[].class)
                .setParameter("org", orgId).setParameter("id", id).getResultList())
                .map(rows -> rows.stream().findFirst().map(EventSubscriptionRepository::toRow));
    }

    /** Changes what is given (null: unchanged); whether the organization has such a subscription. */
    public Uni<Boolean> update(UUID orgId, UUID id, String url, List<String> eventTypes, Boolean paused, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(UPDATE)
                .setParameter("org", orgId).setParameter("id", id).setParameter("url", url)
                .setParameter("types", eventTypes == null ? null : new JsonArray(List.copyOf(eventTypes)).encode())
                .setParameter("paused", paused)
                .setParameter("now", utc(now)).executeUpdate())
                .map(rows -> rows > 0);
    }

    /** Deletes the subscription and its deliveries, pending and dead; whether there was one. */
    public Uni<Boolean> delete(UUID orgId, UUID id) {
        return Panache.getSession().chain(session -> session.createNativeQuery(DELETE)
                .setParameter("org", orgId).setParameter("id", id).executeUpdate())
                .map(rows -> rows > 0);
    }

    private static SubscriptionRow toRow(Object[] row) {
        List<String> types = new JsonArray((String) row[2]).stream().map(String.class::cast).toList();
        return new SubscriptionRow(UUID.fromString((String) row[0]), (String) row[1], types, (String) row[3],
                (Boolean) row[4], NativeRows.instant(row[5]), NativeRows.instant(row[6]), ((Number) row[7]).longValue(),
                ((Number) row[8]).longValue(), NativeRows.instant(row[9]));
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
