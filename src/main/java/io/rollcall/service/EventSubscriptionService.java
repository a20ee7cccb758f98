package io.rollcall.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.ResourceConflictException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.Principal;
import io.rollcall.config.RollcallConfig;
import io.rollcall.events.DestinationGuard;
import io.rollcall.events.SubscriptionSecrets;
import io.rollcall.store.EventDeliveryRepository;
import io.rollcall.store.EventSubscriptionRepository;
import io.rollcall.store.EventSubscriptionRepository.SubscriptionRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * An organization's webhook subscriptions to change events (docs/events.md), all behind {@code events:manage}. A URL
 * is checked against the SSRF rules ({@link DestinationGuard}: after resolution, internal networks refused unless
 * the operator allows them) when it is set, and again at every delivery. An HMAC subscription's secret is generated
 * here and shown once, in the answer to its creation. Deliveries begin with the events of changes committed after the
 * subscription: there is no replay of history. Creates, updates, deletes and re-drives are changes like any other:
 * recorded in the audit log ({@link ChangeLog}, {@code event_subscription.create} …) with the names of what they set,
 * never the secret.
 */
@ApplicationScoped
public class EventSubscriptionService {

    public static final String PERMISSION = io.rollcall.access.PermissionCatalogue.EVENTS_MANAGE;

    /** V15's vocabulary; {@code *} subscribes to every type, including ones added later. */
    public static final List<String> EVENT_TYPES = List.of("user.created", "user.updated", "user.deactivated",
            "user.activated", "user.deleted", "user.roles_changed", "group.created", "group.updated", "group.deleted",
            "group.members_changed", "group.roles_changed");
    static final String EVERY_TYPE = "*";
    static final int MAX_URL_LENGTH = 2048;
    static final int MAX_DEAD_LETTERS_LISTED = 1000;

    /** A subscription; {@code secret} only in the answer to creating an HMAC one. */
    public record EventSubscription(UUID id, String url, List<String> eventTypes, String signing, boolean paused,
            Instant createdAt, Instant updatedAt, long pending, long dead, Instant lastDeliveredAt, String secret) {

        static EventSubscription of(SubscriptionRow row, String secret) {
            return new EventSubscription(row.id(), row.url(), row.eventTypes(), row.signing(), row.paused(),
                    row.createdAt(), row.updatedAt(), row.pending(), row.dead(), row.lastDeliveredAt(), secret);
        }
    }

    /** A delivery given up after the last attempt, until it is re-driven. */
    public record DeadLetter(long id, UUID eventId, String eventType, String resourceType, UUID resourceId,
            Instant occurredAt, int attempts, Instant lastAttemptAt, Integer lastStatus, String lastError) {

        static DeadLetter of(EventDeliveryRepository.DeadLetter row) {
            return new DeadLetter(row.id(), row.eventId(), row.eventType(), row.resourceType(), row.resourceId(),
                    row.occurredAt(), row.attempts(), row.lastAttemptAt(), row.lastStatus(), row.lastError());
        }
    }

    private static final String RESOURCE_TYPE = "EventSubscription";
    private static final String NOUN = "event_subscription";

    /** What a create or an update sets, once checked; a null field is left as it is. */
    private record Checked(String url, List<String> eventTypes, String signing) {
    }

    private final EventSubscriptionRepository subscriptions;
    private final EventDeliveryRepository deliveries;
    private final DestinationGuard guard;
    private final SubscriptionSecrets secrets;
    private final ChangeLog changeLog;
    private final Vertx vertx;
    private final int maxSubscriptions;

    public EventSubscriptionService(EventSubscriptionRepository subscriptions, EventDeliveryRepository deliveries,
            DestinationGuard guard, SubscriptionSecrets secrets, ChangeLog changeLog, Vertx vertx,
            RollcallConfig config) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.guard = guard;
        this.secrets = secrets;
        this.changeLog = changeLog;
        this.vertx = vertx;
        this.maxSubscriptions = config.events().maxSubscriptions();
    }

    /**
     * The permission, the request and its URL are checked before the transaction opens, so that no connection is held
     * while the URL's name resolves; a refusal there is recorded as any refused change is.
     */
    public Uni<EventSubscription> create(Principal caller, String url, List<String> eventTypes, String signing) {
        AuditedChange audited = AuditedChange.create(caller, RESOURCE_TYPE, NOUN)
                .attributes(given(url, eventTypes, signing, null));
        Uni<Checked> checked = CallerChecks.checked(caller, PERMISSION, "subscribe to change events").chain(() -> {
            List<String> types = validTypes(eventTypes);
            String method = validSigning(signing);
            return checkedUrl(url).map(checkedUrl -> new Checked(checkedUrl, types, method));
        });
        return changeLog.recordingRefusals(audited, checked)
                .chain(subscription -> changeLog.run(audited, () -> insert(caller, subscription, audited)));
    }

    private Uni<EventSubscription> insert(Principal caller, Checked subscription, AuditedChange audited) {
        // counted under a lock that other creates of the organization wait for, so two cannot both take the last place
        return subscriptions.lockCreates(caller.orgId()).chain(() -> subscriptions.count(caller.orgId()))
                .chain(count -> {
                    if (count >= maxSubscriptions) {
                        throw ScimFailure.of(new ResourceConflictException("This organization has " + count
                                + " event subscriptions, the most allowed (rollcall.events.max-subscriptions); "
                                + "delete one first"));
                    }
                    UUID id = UUID.randomUUID();
                    audited.resource(id);
                    String secret = subscription.signing().equals("hmac") ? SubscriptionSecrets.generate() : null;
                    if (secret != null) {
                        audited.attribute("secret");
                    }
                    Instant now = now();
                    return subscriptions.insert(caller.orgId(), id, subscription.url(), subscription.eventTypes(),
                            subscription.signing(), secret == null ? null : secrets.seal(id, secret), now)
                            .replaceWith(() -> new EventSubscription(id, subscription.url(),
                                    subscription.eventTypes(), subscription.signing(), false, now, now, 0, 0, null,
                                    secret));
                });
    }

    public Uni<List<EventSubscription>> list(Principal caller) {
        return Panache.withSession(() -> CallerChecks.checked(caller, PERMISSION, "list event subscriptions")
                .chain(() -> subscriptions.list(caller.orgId())))
                .map(rows -> rows.stream().map(row -> EventSubscription.of(row, null)).toList());
    }

    public Uni<EventSubscription> get(Principal caller, UUID id) {
        return Panache.withSession(() -> CallerChecks.checked(caller, PERMISSION, "read event subscriptions")
                .chain(() -> find(caller, id)))
                .map(row -> EventSubscription.of(row, null));
    }

    /**
     * Changes what is given (null: unchanged); pausing keeps the deliveries, which resume in order. Checked as a
     * create is, before the transaction opens.
     */
    public Uni<EventSubscription> update(Principal caller, UUID id, String url, List<String> eventTypes,
            Boolean paused) {
        AuditedChange audited = AuditedChange.of(caller, RESOURCE_TYPE, NOUN, "update", id)
                .attributes(given(url, eventTypes, null, paused));
        Uni<Checked> checked = CallerChecks.checked(caller, PERMISSION, "change event subscriptions").chain(() -> {
            List<String> types = eventTypes == null ? null : validTypes(eventTypes);
            Uni<String> checkedUrl = url == null ? Uni.createFrom().nullItem() : checkedUrl(url);
            return checkedUrl.map(newUrl -> new Checked(newUrl, types, null));
        });
        return changeLog.recordingRefusals(audited, checked).chain(change -> changeLog.run(audited, () -> subscriptions
                .update(caller.orgId(), id, change.url(), change.eventTypes(), paused, now())
                .chain(updated -> {
                    if (!updated) {
                        throw notFound(id);
                    }
                    return find(caller, id);
                })
                .map(row -> EventSubscription.of(row, null))));
    }

    /** Deletes the subscription with its pending and dead deliveries. */
    public Uni<Void> delete(Principal caller, UUID id) {
        AuditedChange audited = AuditedChange.delete(caller, RESOURCE_TYPE, NOUN, id);
        return changeLog.run(audited, () -> CallerChecks.checked(caller, PERMISSION, "delete event subscriptions")
                .chain(() -> subscriptions.delete(caller.orgId(), id))
                .invoke(deleted -> {
                    if (!deleted) {
                        throw notFound(id);
                    }
                })).replaceWithVoid();
    }

    public Uni<List<DeadLetter>> deadLetters(Principal caller, UUID id) {
        return Panache.withSession(() -> CallerChecks.checked(caller, PERMISSION, "read dead letters")
                .chain(() -> find(caller, id)))
                .chain(row -> deliveries.deadLetters(caller.orgId(), id, MAX_DEAD_LETTERS_LISTED))
                .map(rows -> rows.stream().map(DeadLetter::of).toList());
    }

    /** Sends the subscription's dead letters again, from the first attempt; how many. */
    public Uni<Integer> redrive(Principal caller, UUID id) {
        AuditedChange audited = AuditedChange.of(caller, RESOURCE_TYPE, NOUN, "redrive", id);
        return changeLog.run(audited, () -> CallerChecks.checked(caller, PERMISSION, "re-drive dead letters")
                .chain(() -> find(caller, id))
                .chain(row -> deliveries.redrive(caller.orgId(), id)));
    }

    private Uni<SubscriptionRow> find(Principal caller, UUID id) {
        return subscriptions.find(caller.orgId(), id)
                .map(row -> row.orElseThrow(() -> notFound(id)));
    }

    private static ScimFailure notFound(UUID id) {
        return CallerChecks.notFound("No event subscription " + id + " in this organization");
    }

    /**
     * The URL, once the guard has resolved and checked it. Name resolution blocks: a worker thread does it, and the
     * result comes back on the request's context, where the transaction then opens.
     */
    private Uni<String> checkedUrl(String url) {
        if (url == null || url.isBlank()) {
            return Uni.createFrom().failure(CallerChecks.invalid("'url' is required, e.g. {\"url\": "
                    + "\"https://events.example.com/rollcall\", \"eventTypes\": [\"user.deactivated\"]}"));
        }
        if (url.length() > MAX_URL_LENGTH) {
            return Uni.createFrom().failure(CallerChecks.invalid("'url' has " + url.length() + " characters; at most "
                    + MAX_URL_LENGTH + " are allowed"));
        }
        String trimmed = url.trim();
        return vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                guard.check(trimmed);
                return trimmed;
            } catch (DestinationGuard.RefusedDestination refused) {
                throw CallerChecks.invalid("'url' is refused: " + refused.getMessage());
            }
        }));
    }

    /** The names of the attributes a request gives, for the audit log (never their values). */
    private static List<String> given(String url, List<String> eventTypes, String signing, Boolean paused) {
        List<String> names = new ArrayList<>();
        if (url != null) {
            names.add("url");
        }
        if (eventTypes != null) {
            names.add("eventTypes");
        }
        if (signing != null) {
            names.add("signing");
        }
        if (paused != null) {
            names.add("paused");
        }
        return names;
    }

    private static List<String> validTypes(List<String> eventTypes) {
        if (eventTypes == null || eventTypes.isEmpty()) {
            throw CallerChecks.invalid("'eventTypes' is required: a list of " + String.join(", ", EVENT_TYPES)
                    + ", or [\"*\"] for every type");
        }
        LinkedHashSet<String> types = new LinkedHashSet<>();
        for (String type : eventTypes) {
            if (type == null || !(type.equals(EVERY_TYPE) || EVENT_TYPES.contains(type))) {
                throw CallerChecks.invalid("'eventTypes' names an unknown event type " + (type == null ? "null"
                        : "'" + type + "'") + "; the types are " + String.join(", ", EVENT_TYPES) + ", and * for all");
            }
            types.add(type);
        }
        return List.copyOf(types);
    }

    private static String validSigning(String signing) {
        String method = signing == null ? "hmac" : signing.toLowerCase(Locale.ROOT);
        if (!method.equals("hmac") && !method.equals("jwt")) {
            throw CallerChecks.invalid("'signing' is 'hmac' (an X-Rollcall-Signature header with a secret shown once) "
                    + "or 'jwt' (a SET signed with the server's key, see /.well-known/jwks.json), not '" + signing + "'");
        }
        return method;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
