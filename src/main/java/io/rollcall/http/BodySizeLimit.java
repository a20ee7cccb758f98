package io.rollcall.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.rollcall.config.RollcallConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a body announced larger than {@code quarkus.http.limits.max-body-size} with a 413 in the API's error format,
 * before anything reads it. It runs just ahead of Quarkus' own limit handler (which would answer 413 with no body);
 * bodies without a {@code Content-Length} are still cut at the same limit by Quarkus.
 * <p>
 * {@code POST /scim/v2/Bulk} has a lower limit of its own, {@link #bulkPayloadLimit()}: {@code rollcall.scim.bulk.
 * max-payload-size}, never above the server's. It is what {@code /ServiceProviderConfig} advertises as
 * {@code bulk.maxPayloadSize}; a Bulk body announced larger is refused here, one sent without a length once read
 * (RFC 7644 §3.7.4).
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Quarkus' upload-limit route has order -2; this one must see the request first. */
    private static final int ORDER = -3;

    /** The Bulk endpoint, whose bodies have {@link #bulkPayloadLimit()}. */
    public static final String BULK_PATH = "/scim/v2/Bulk";

    private final long limit;
    private final long bulkLimit;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit,
            RollcallConfig config) {
        this.limit = limit.asLongValue();
        this.bulkLimit = Math.min(this.limit, config.scim().bulk().maxPayloadSize().asLongValue());
    }

    /** The largest Bulk request body taken, in bytes: the Bulk limit, or the server's if that is lower. */
    public long bulkPayloadLimit() {
        return bulkLimit;
    }

    /** The 413 of a Bulk request body of {@code size} bytes (RFC 7644 §3.7.4 names the limit in the detail). */
    public ApiError bulkTooLarge(String size) {
        return new ApiError(413, null, "The size of the bulk request (" + size + " bytes) exceeds the maxPayloadSize ("
                + bulkLimit + " bytes); none of its operations was run");
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        Api api = Api.of(context.request().path());
        boolean bulk = context.request().path().equals(BULK_PATH);
        if (length != null && api != Api.OTHER && isOver(length, bulk ? bulkLimit : limit)) {
            ApiError error = bulk ? bulkTooLarge(length.trim())
                    : new ApiError(413, null, "The request body has " + length.trim() + " bytes; this server "
                            + "accepts at most " + limit + " (quarkus.http.limits.max-body-size)");
            context.response()
                    .setStatusCode(413)
                    .putHeader(HttpHeaderNames.CONTENT_TYPE, api == Api.SCIM ? "application/scim+json;charset=utf-8"
                            : ApiError.PROBLEM_JSON)
                    .putHeader(HttpHeaderNames.CONNECTION, "close")
                    .end(api == Api.SCIM ? error.scimBody() : error.problemBody());
            return;
        }
        context.next();
    }

    private static boolean isOver(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
