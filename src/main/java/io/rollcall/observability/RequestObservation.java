package io.rollcall.observability;

import java.util.Optional;
import java.util.Set;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;

/**
 * What is known about one HTTP request while it is served: its id (also in the logging MDC as {@code requestId} and in
 * the {@code X-Request-Id} response header), its route labels, and what the token gate and the error mapper learnt
 * (the access key's name, the SCIM {@code scimType} of an error). Kept in the request's Vert.x duplicated context, so
 * code anywhere in the request reaches it without passing it along; {@link RequestMetrics} records it when the
 * response has been sent.
 */
public final class RequestObservation {

    static final String LOCAL = "rollcall.request";
    /** The scimType values of RFC 7644 §3.12; anything else is labelled {@code other}. */
    private static final Set<String> SCIM_TYPES = Set.of("invalidFilter", "tooMany", "uniqueness", "mutability",
            "invalidSyntax", "invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive");

    private final String id;
    private final long startNanos;
    private final RouteLabels route;
    private volatile String key;
    private volatile String scimType;
    private volatile String channel;

    RequestObservation(String id, long startNanos, RouteLabels route) {
        this.id = id;
        this.startNanos = startNanos;
        this.route = route;
    }

    /** The request being served on this thread's Vert.x context, if any. */
    public static Optional<RequestObservation> current() {
        if (!VertxContext.isOnDuplicatedContext()) {
            return Optional.empty();
        }
        return ContextLocals.get(LOCAL);
    }

    /** The current request's id, if there is a current request. */
    public static Optional<String> currentId() {
        return current().map(RequestObservation::id);
    }

    public String id() {
        return id;
    }

    long startNanos() {
        return startNanos;
    }

    /** Null for a path outside Rollcall's APIs. */
    RouteLabels route() {
        return route;
    }

    /** The name of the access key (or {@code operator}) the request was admitted with; null when none was. */
    String key() {
        return key;
    }

    void key(String name) {
        this.key = name;
    }

    /**
     * How the request's caller came in, as the audit log names it: {@code scim}, {@code admin} (a bearer token on the
     * admin API), {@code console} (the console's session cookie), {@code operator}, {@code oauth}; set by the gate.
     */
    public static Optional<String> currentChannel() {
        return current().map(request -> request.channel);
    }

    /** Called by the token gate once it admitted the caller, and by the token endpoint. */
    public static void channel(String channel) {
        current().ifPresent(request -> request.channel = channel);
    }

    /** The error's scimType as a label: {@code none} without one, {@code other} for one RFC 7644 does not define. */
    String scimTypeLabel() {
        String type = scimType;
        return type == null ? "none" : SCIM_TYPES.contains(type) ? type : "other";
    }

    /** Called by the error mapper with the scimType of the error it answers. */
    public static void error(String scimType) {
        current().ifPresent(request -> request.scimType = scimType);
    }
}
