package io.rollcall.http;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.rollcall.observability.RequestObservation;
import io.rollcall.service.DatabaseStartup;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * While start-up still waits for an unreachable database (no schema yet, no bootstrap: {@link DatabaseStartup}), the
 * APIs answer 503 with {@code Retry-After} before anything else runs, the token gate included (it reads the store):
 * {@code /scim/v2} a SCIM Error, {@code /admin/v1} an RFC 9457 problem, {@code /oauth/token} RFC 6749 JSON with
 * {@code temporarily_unavailable}. The health, metrics and OpenAPI endpoints are not gated.
 */
public class StartupGate {

    private static final String OAUTH = "/oauth/";

    private final DatabaseStartup startup;

    public StartupGate(DatabaseStartup startup) {
        this.startup = startup;
    }

    @ServerRequestFilter(preMatching = true, priority = Priorities.AUTHENTICATION - 100)
    public Response hold(HttpServerRequest request) {
        if (startup.ready()) {
            return null;
        }
        String path = request.path();
        Api api = Api.of(path);
        String retryAfter = String.valueOf(ErrorMapper.RETRY_AFTER_SECONDS);
        if (path.startsWith(OAUTH)) {
            return Response.status(503).type(MediaType.APPLICATION_JSON).header("Retry-After", retryAfter)
                    .header("Cache-Control", "no-store")
                    .entity(new JsonObject().put("error", "temporarily_unavailable").put("error_description",
                            "The server is starting and cannot reach its database yet; retry in a few seconds")
                            .encode())
                    .build();
        }
        if (api == Api.OTHER) {
            return null;
        }
        String reference = RequestObservation.currentId().orElse("none");
        return new ApiError(503, null, "The server is starting and cannot reach its database yet; retry the request "
                + "in a few seconds (reference " + reference + ")").withHeader("Retry-After", retryAfter).toResponse(api);
    }
}
