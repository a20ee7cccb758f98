package io.rollcall.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a body announced larger than {@code quarkus.http.limits.max-body-size} with a 413 in the API's error format,
 * before anything reads it. It runs just ahead of Quarkus' own limit handler (which would answer 413 with no body);
 * bodies without a {@code Content-Length} are still cut at the same limit by Quarkus.
 */
@ApplicationScoped
public class BodySizeLimit {

    /** Quarkus' upload-limit route has order -2; this one must see the request first. */
    private static final int ORDER = -3;

    private final long limit;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        Api api = Api.of(context.request().path());
        if (length != null && api != Api.OTHER && isOver(length)) {
            ApiError error = new ApiError(413, null, "The request body has " + length.trim() + " bytes; this server "
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

    private boolean isOver(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
