package io.rollcall.http;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * Test-only route, right after Quarkus REST's own authentication-failure route (order -199): for a request carrying
 * {@link #HEADER}, notes the handler the request goes on with, so that a test can tell whether
 * {@link AuthFailureHandlerForRest} ran before Quarkus REST's.
 */
@ApplicationScoped
public class AuthFailureHandlerProbe {

    static final String HEADER = "X-Test-Auth-Failure-Probe";
    static final AtomicReference<Object> SEEN = new AtomicReference<>();

    void install(@Observes Router router) {
        router.route().order(AuthFailureHandlerForRest.ORDER + 1).handler(context -> {
            if (context.request().getHeader(HEADER) != null) {
                SEEN.set(context.get(AuthFailureHandlerForRest.KEY));
            }
            context.next();
        });
    }
}
