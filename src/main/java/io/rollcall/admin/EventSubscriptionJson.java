package io.rollcall.admin;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.rollcall.service.EventSubscriptionService.DeadLetter;
import io.rollcall.service.EventSubscriptionService.EventSubscription;

/** The admin API's JSON shapes for event subscriptions and their dead letters. */
public final class EventSubscriptionJson {

    private EventSubscriptionJson() {
    }

    /** {@code POST /admin/v1/event-subscriptions}: {@code signing} is {@code hmac} (default) or {@code jwt}. */
    public record CreateRequest(String url, List<String> eventTypes, String signing) {
    }

    /** {@code PATCH /admin/v1/event-subscriptions/{id}} (JSON merge patch): a field left out or null stays. */
    public record PatchRequest(String url, List<String> eventTypes, Boolean paused) {
    }

    /** How the subscription's deliveries stand. */
    public record Deliveries(long pending, long dead, Instant lastDeliveredAt) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Subscription(String id, String url, List<String> eventTypes, String signing, boolean paused,
            Instant createdAt, Instant updatedAt, Deliveries deliveries, String secret) {

        static Subscription of(EventSubscription subscription) {
            return new Subscription(subscription.id().toString(), subscription.url(), subscription.eventTypes(),
                    subscription.signing(), subscription.paused(), subscription.createdAt(), subscription.updatedAt(),
                    new Deliveries(subscription.pending(), subscription.dead(), subscription.lastDeliveredAt()),
                    subscription.secret());
        }
    }

    public record SubscriptionList(int totalResults, List<Subscription> items) {
    }

    public record Letter(String id, String eventId, String eventType, String resourceType, String resourceId,
            Instant occurredAt, int attempts, Instant lastAttemptAt, Integer lastStatus, String lastError) {

        static Letter of(DeadLetter letter) {
            return new Letter(Long.toString(letter.id()), letter.eventId().toString(), letter.eventType(),
                    letter.resourceType(), letter.resourceId().toString(), letter.occurredAt(), letter.attempts(),
                    letter.lastAttemptAt(), letter.lastStatus(), letter.lastError());
        }
    }

    public record LetterList(int totalResults, List<Letter> items) {
    }

    public record Redriven(int redriven) {
    }
}
