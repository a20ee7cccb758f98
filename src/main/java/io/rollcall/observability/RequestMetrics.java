package io.rollcall.observability;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rollcall.config.RollcallConfig;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Rollcall's own metrics (docs/operations.md, "Metrics", lists them with their labels) and the request id.
 * <p>
 * A handler ahead of every route gives each request an id — the caller's {@code X-Request-Id} when it is a plain token
 * of at most 128 characters (an ingress's id then follows the request), a random UUID otherwise — puts it in the
 * logging MDC ({@code requestId}: in every log line written while the request is served, a field of the JSON lines)
 * and in the {@code X-Request-Id} response header, and, once the response is sent, records the request under
 * {@link RouteLabels} with its status and scimType. Every label has a bounded set of values: route templates, never
 * ids; access key names only up to {@code rollcall.metrics.key-names} distinct ones per instance, later ones are
 * counted as {@code other}.
 */
@ApplicationScoped
public class RequestMetrics {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:=+/@-]{1,128}");

    private final MeterRegistry registry;
    private final LabelLimit keyNames;
    private final Map<RequestSeries, Timer> requestTimers = new ConcurrentHashMap<>();

    public RequestMetrics(MeterRegistry registry, RollcallConfig config) {
        this.registry = registry;
        this.keyNames = new LabelLimit(config.metrics().keyNames());
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 100).handler(this::begin);
    }

    private void begin(RoutingContext context) {
        String offered = context.request().getHeader(HEADER);
        String id = offered != null && CLIENT_ID.matcher(offered).matches() ? offered : newId();
        RequestObservation request = new RequestObservation(id, System.nanoTime(),
                RouteLabels.of(context.request().method().name(), context.normalizedPath()));
        if (VertxContext.isOnDuplicatedContext()) {
            // the request's own context: what is put here ends with it, and follows it onto worker threads
            ContextLocals.put(RequestObservation.LOCAL, request);
            MDC.put(MDC_KEY, id);
        }
        context.response().putHeader(HEADER, id);
        context.addEndHandler(ended -> record(request, context.response().getStatusCode()));
        context.next();
    }

    private void record(RequestObservation request, int status) {
        RouteLabels route = request.route();
        if (route == null) {
            return;
        }
        long nanos = System.nanoTime() - request.startNanos();
        String code = String.valueOf(status);
        String scimType = status >= 400 ? request.scimTypeLabel() : "none";
        requestTimers.computeIfAbsent(new RequestSeries(route, code, scimType), series -> Timer.builder("rollcall.requests")
                .description("Requests to the SCIM, admin and OAuth APIs, by operation, resource type and route template")
                .tags("api", route.api(), "operation", route.operation(), "resource_type", route.resourceType(),
                        "route", route.route(), "status", code, "scim_type", scimType)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
        if (request.key() != null) {
            Timer.builder("rollcall.key.requests")
                    .description("Requests admitted with an access key (or the operator token), by the key's name")
                    .tags("api", route.api(), "key", keyNames.label(request.key()))
                    .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        }
        if (status >= 400) {
            Counter.builder("rollcall.errors")
                    .description("Error responses by status and SCIM scimType")
                    .tags("api", route.api(), "status", code, "scim_type", scimType)
                    .register(registry).increment();
        }
    }

    /**
     * A request id: random, not secret (it is sent back and logged), so drawn from the thread's generator rather than
     * {@link UUID#randomUUID()}'s SecureRandom on every request; shaped as a version-4 UUID.
     */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** The labels of one {@code rollcall.requests} series; its timer is looked up once, not built per request. */
    private record RequestSeries(RouteLabels route, String status, String scimType) {
    }

    /** The token gate admitted the current request as this access key (or the operator). */
    public void admitted(String keyName) {
        RequestObservation.current().ifPresent(request -> request.key(keyName));
    }

    /** The token gate refused a request to {@code api} ({@code scim}, {@code admin}, {@code oauth}) for this reason. */
    public void refused(String api, AuthRefusal reason) {
        Counter.builder("rollcall.auth.refusals")
                .description("Requests the token gate or the OAuth token endpoint refused, by reason")
                .tags("api", api, "reason", reason.label())
                .register(registry).increment();
    }

    /** One membership change of a group PATCH: {@code add}, {@code remove} or {@code replace} this many members. */
    public void membershipDelta(String operation, int members) {
        DistributionSummary.builder("rollcall.membership.delta")
                .description("Members named by one membership operation of a group PATCH")
                .baseUnit("members")
                .serviceLevelObjectives(1, 10, 100, 1_000, 10_000)
                .tags("operation", operation)
                .register(registry).record(members);
    }

    /**
     * One operation of a SCIM Bulk request, answered with this status.
     *
     * @param method       {@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}; anything else counts as {@code other}
     * @param resourceType {@code User}, {@code Group}, {@code Role}, or {@code unknown} for a path of no resource type
     */
    public void bulkOperation(String method, String resourceType, int status) {
        String methodLabel = method != null && java.util.Set.of("POST", "PUT", "PATCH", "DELETE").contains(method)
                ? method : "other";
        Counter.builder("rollcall.bulk.operations")
                .description("Operations of SCIM Bulk requests, by method, resource type and status")
                .tags("method", methodLabel, "resource_type", resourceType, "status", String.valueOf(status))
                .register(registry).increment();
    }

    /** A list or .search page of this resource type ({@code User}, {@code Group}, {@code Role}, {@code Root}) asked by cursor. */
    public void cursorPage(String resourceType) {
        Counter.builder("rollcall.cursor.pages")
                .description("List and .search pages asked by cursor (RFC 9865), by resource type")
                .tags("resource_type", resourceType)
                .register(registry).increment();
    }

    /** Why a request was refused authentication or authorisation at the gate. */
    public enum AuthRefusal {
        /** No Authorization header (and no console session where one is accepted). */
        NO_CREDENTIALS,
        /** An Authorization header of another scheme than Bearer. */
        NOT_BEARER,
        /** A bearer token that is malformed, not signed by this server, or expired. */
        INVALID_TOKEN,
        /** A valid token whose access key is revoked, expired or unknown. */
        KEY_INACTIVE,
        /** The access key's organization is suspended. */
        ORGANIZATION_SUSPENDED,
        /** An access key without SCIM Client on /scim/v2. */
        NOT_SCIM_CLIENT,
        /** The operator token used outside /admin/v1/organizations. */
        OPERATOR_OUTSIDE_ORGANIZATIONS,
        /** An organization's token on /admin/v1/organizations. */
        KEY_ON_ORGANIZATIONS,
        /** A console session cookie that has ended. */
        SESSION_ENDED,
        /** A write through the console session without its CSRF token. */
        CSRF,
        /** POST /oauth/token with client credentials that do not authenticate. */
        INVALID_CLIENT,
        /** POST /oauth/token refused for too many failed attempts. */
        CLIENT_THROTTLED;

        public String label() {
            return name().toLowerCase();
        }
    }
}
