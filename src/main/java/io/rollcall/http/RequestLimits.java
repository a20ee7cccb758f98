package io.rollcall.http;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.rollcall.config.RollcallConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request whose target is longer than {@code rollcall.http.max-uri-length} (414, RFC 9110 §15.5.15) or
 * whose header fields are larger than {@code rollcall.http.max-header-size} (431, RFC 6585 §5), in the API's error
 * format. Netty's decoder cannot do this itself: when the request line is too long it has not read the path, and
 * Vert.x answers its own limits with an empty body before any route runs; so its limits are set higher
 * (application.properties) and the ones clients meet are enforced here, once the path is known.
 */
@ApplicationScoped
public class RequestLimits {

    /** After the request id is given (RequestMetrics), before anything reads the request. */
    private static final int ORDER = Integer.MIN_VALUE + 200;
    /** ": " between a field's name and value, CRLF after it. */
    private static final int FIELD_SEPARATORS = 4;

    private final long maxUriLength;
    private final long maxHeaderSize;

    public RequestLimits(RollcallConfig config) {
        this.maxUriLength = config.http().maxUriLength().asLongValue();
        this.maxHeaderSize = config.http().maxHeaderSize().asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String uri = context.request().uri();
        if (uri.length() > maxUriLength) {
            refuse(context, new ApiError(414, null, "The request's URI has " + uri.length() + " characters; this "
                    + "server accepts at most " + maxUriLength + ". Send long filters with POST .search "
                    + "(RFC 7644 §3.4.3)"));
            return;
        }
        long headerSize = 0;
        for (Map.Entry<String, String> field : context.request().headers()) {
            headerSize += field.getKey().length() + field.getValue().length() + FIELD_SEPARATORS;
        }
        if (headerSize > maxHeaderSize) {
            refuse(context, new ApiError(431, null, "The request's header fields have " + headerSize + " bytes; this "
                    + "server accepts at most " + maxHeaderSize));
            return;
        }
        context.next();
    }

    /** Answers in the API's format (a plain one outside the APIs) and closes: the rest of the request is not read. */
    static void refuse(RoutingContext context, ApiError error) {
        Api api = Api.of(context.request().path());
        context.response().setStatusCode(error.status()).putHeader(HttpHeaderNames.CONNECTION, "close");
        error.headers().forEach(context.response()::putHeader);
        if (api == Api.OTHER) {
            context.response().end();
            return;
        }
        context.response()
                .putHeader(HttpHeaderNames.CONTENT_TYPE, api == Api.SCIM ? MediaTypes.SCIM_JSON_UTF8
                        : ApiError.PROBLEM_JSON)
                .end(api == Api.SCIM ? error.scimBody() : error.problemBody());
    }
}
