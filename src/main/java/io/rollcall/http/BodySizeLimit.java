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
 * a body sent without a {@code Content-Length} (chunked) is measured as it is read, by {@link ChunkedBodyLimit}.
 * <p>
 * {@code POST /scim/v2/Bulk} has a lower limit of its own, {@link #bulkPayloadLimit()}: {@code rollcall.scim.bulk.
 * max-payload-size}, never above the server's. It is what {@code /ServiceProviderConfig} advertises as
 * {@code bulk.maxPayloadSize} (RFC 7644 §3.7.4).
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

    /** The largest request body taken on {@code path}, in bytes: Bulk's own limit on Bulk, the server's elsewhere. */
    public long limitOf(String path) {
        return path.equals(BULK_PATH) ? bulkLimit : limit;
    }

    /**
     * The 413 of a request body over {@link #limitOf(String)} on {@code path}; {@code size} is its length in bytes, or
     * "more than N" when it was cut while read. On Bulk, RFC 7644 §3.7.4 names the limit in the detail.
     */
    public ApiError tooLarge(String path, String size) {
        if (path.equals(BULK_PATH)) {
            return new ApiError(413, null, "The size of the bulk request (" + size + " bytes) exceeds the "
                    + "maxPayloadSize (" + bulkLimit + " bytes); none of its operations was run");
        }
        return new ApiError(413, null, "The request body has " + size + " bytes; this server accepts at most " + limit
                + " (quarkus.http.limits.max-body-size)");
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        String path = context.request().path();
        Api api = Api.of(path);
        if (length != null && api != Api.OTHER && isOver(length, limitOf(path))) {
            RequestHeadChecks.refuse(context, tooLarge(path, length.trim()));
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
