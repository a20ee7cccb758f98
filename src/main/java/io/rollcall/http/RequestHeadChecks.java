package io.rollcall.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.rollcall.config.RollcallConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request whose head (request line and header fields) Rollcall does not take, in the API's error format,
 * before anything reads the request:
 * <ul>
 * <li>a request target longer than {@code rollcall.http.max-uri-length}: 414 (RFC 9110 §15.5.15);</li>
 * <li>a request target that is not a URI (RFC 3986), such as a {@code %} not followed by two hexadecimal digits in
 * the query (§2.1): 400;</li>
 * <li>header fields larger than {@code rollcall.http.max-header-size}: 431 (RFC 6585 §5).</li>
 * </ul>
 * Netty and Quarkus check the same before any route, but answer with an empty body: Netty's length limits are set
 * higher (application.properties), since when the request line is too long it has not even read the path; Quarkus'
 * URI check is turned off ({@link #QUARKUS_CHECK_OFF}, which {@code RollcallMain} sets). A path Vert.x cannot decode
 * fails while routes are matched, before this runs: {@link RouterFailures} answers it.
 * <p>
 * Not to be confused with {@link RequestHeaderChecks}, which refuses header values an endpoint would misread.
 */
@ApplicationScoped
public class RequestHeadChecks {

    /** The system property that turns Quarkus' own URI check (an empty 400) off. */
    public static final String QUARKUS_CHECK_OFF = "vertx.disableURIValidation";
    /** After the request id is given (RequestMetrics), so that refusals carry it and are counted. */
    private static final int ORDER = Integer.MIN_VALUE + 200;
    /** ": " between a field's name and value, CRLF after it. */
    private static final int FIELD_SEPARATORS = 4;

    private final long maxUriLength;
    private final long maxHeaderSize;

    public RequestHeadChecks(RollcallConfig config) {
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
        try {
            new URI(uri);
        } catch (URISyntaxException e) {
            refuse(context, new ApiError(400, null, "The request target is not a valid URI: " + e.getReason()
                    + " at index " + e.getIndex() + " (RFC 3986: a '%' is followed by two hexadecimal digits, and "
                    + "other characters outside the URI syntax are percent-encoded)"));
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
