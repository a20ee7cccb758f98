package io.rollcall.http;

import java.util.function.BiConsumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.security.HttpSecurityRecorder.DefaultAuthFailureHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Sets, on every request, the authentication-failure handler that Quarkus REST would set itself, before it does: with
 * Micrometer present, Quarkus REST's own handler for that (ResteasyReactiveRecorder, 3.37) first names the request's
 * route template for an {@code http_server_requests} metric, building a new request mapper over every endpoint to do
 * so, on every request (ObservabilityIntegrationRecorder.setTemplatePath: 12–15 % of the server's CPU samples on
 * {@code GET /Users/{id}}). That metric is off here ({@code quarkus.micrometer.binder.http-server.enabled=false}), and
 * authentication is Rollcall's own filter (no Quarkus mechanism runs, {@code quarkus.http.auth.proactive=false}), so
 * the work named nothing anyone reads. The handler behaves as Quarkus REST's does: it fails the request with the root
 * cause, for the REST layer's exception mappers.
 */
@ApplicationScoped
public class AuthFailureHandlerForRest {

    /** The routing-context key under which Quarkus' HTTP security keeps the handler. */
    static final String KEY = "io.quarkus.vertx.http.auth-failure-handler";
    /**
     * After Quarkus' authentication handler, which sets its default (filter priority 200, route order -200), and with
     * Quarkus REST's (priority 199, order -199), added before it: routes of one order run in the order they were added,
     * and {@link Router} observers add theirs before Quarkus adds its filters.
     */
    static final int ORDER = -199;

    static final BiConsumer<RoutingContext, Throwable> FAIL = (context, failure) -> {
        DefaultAuthFailureHandler.markIfOtherAuthenticationFailure(context, failure);
        if (!context.failed()) {
            context.fail(DefaultAuthFailureHandler.extractRootCause(failure));
        }
    };

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(context -> {
            if (context.get(KEY) instanceof DefaultAuthFailureHandler) {
                context.put(KEY, FAIL);
            }
            context.next();
        });
    }
}
