package io.rollcall.http;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a request target that is not a URI (RFC 3986), such as a {@code %} not followed by two hexadecimal digits
 * in the path or the query (§2.1), with 400 in the API's error format. Quarkus checks the same before any route, but
 * answers with an empty body; {@code RollcallMain} turns its check off ({@code vertx.disableURIValidation}) so that
 * this one answers instead. It runs first, since everything after it decodes the path.
 */
@ApplicationScoped
public class RequestTargetSyntax {

    /** The system property that turns Quarkus' own check (an empty 400) off. */
    public static final String QUARKUS_CHECK_OFF = "vertx.disableURIValidation";
    private static final int ORDER = Integer.MIN_VALUE + 50;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        try {
            new URI(context.request().uri());
        } catch (URISyntaxException e) {
            RequestLimits.refuse(context, new ApiError(400, null, "The request target is not a valid URI: "
                    + e.getReason() + " at index " + e.getIndex() + " (RFC 3986: a '%' is followed by two hexadecimal "
                    + "digits, and other characters outside the URI syntax are percent-encoded)"));
            return;
        }
        context.next();
    }
}
