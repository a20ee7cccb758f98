package io.rollcall.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Requests Vert.x Web fails before an endpoint sees them, answered in the API's error format instead of Quarkus' empty
 * body or Vert.x' "Bad Request": a path Vert.x cannot decode (400, RFC 3986 §2.1; it fails before any route runs,
 * {@link RequestHeadChecks} refuses the other malformed targets), and any other 400 or 413 a route fails with.
 * Failures with other statuses, and any once the response has started, go on to Quarkus' own handler.
 */
@ApplicationScoped
public class RouterFailures {

    /** Ahead of Quarkus' failure handler, which writes the empty body. */
    private static final int ORDER = Integer.MIN_VALUE + 200;

    void install(@Observes Router router) {
        router.route().order(ORDER).failureHandler(this::failed);
        // a path Vert.x cannot normalize (a bad '%' escape) fails while routes are matched, before any handler runs:
        // then only the router's error handler is left
        router.errorHandler(400, this::unmatched);
    }

    private void failed(RoutingContext context) {
        int status = context.statusCode();
        if (context.response().headWritten() || Api.of(context.request().path()) == Api.OTHER
                || status != 400 && status != 413) {
            context.next();
            return;
        }
        RequestHeadChecks.refuse(context, error(status, context.failure()));
    }

    private void unmatched(RoutingContext context) {
        if (context.response().headWritten()) {
            return;
        }
        RequestHeadChecks.refuse(context, error(400, context.failure()));
    }

    private static ApiError error(int status, Throwable failure) {
        if (status == 413) {
            return new ApiError(413, null, "The request body is larger than this server accepts "
                    + "(quarkus.http.limits.max-body-size)");
        }
        String detail = "The request is malformed";
        if (failure instanceof IllegalArgumentException && failure.getMessage() != null) {
            // Vert.x' words about the request itself, e.g. "Invalid escape sequence: %zz"
            detail += ": " + failure.getMessage();
            if (failure.getMessage().contains("escape")) {
                detail += " (a '%' is followed by two hexadecimal digits: RFC 3986 §2.1)";
            }
        }
        return new ApiError(400, null, detail);
    }
}
