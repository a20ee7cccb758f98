package io.rollcall.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.rollcall.http.ErrorMapper;
import io.rollcall.observability.RequestMetrics;
import io.rollcall.observability.RequestMetrics.AuthRefusal;
import io.rollcall.observability.RequestObservation;
import io.rollcall.service.ClientCredentialsService;
import io.rollcall.service.StoreFailures;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /oauth/token}: the OAuth 2.0 client credentials grant (RFC 6749 §4.4) for identity providers such as
 * Microsoft Entra ID. The client id is an access key's id, the secret one of its client secrets
 * ({@code POST /admin/v1/access-keys/{id}/secrets}), sent with HTTP Basic or as form fields (§2.3.1), never both.
 *
 * <pre>
 * POST /oauth/token   Content-Type: application/x-www-form-urlencoded
 * grant_type=client_credentials&amp;client_id=…&amp;client_secret=…
 * → 200 {"access_token": "…", "token_type": "Bearer", "expires_in": 3600}   Cache-Control: no-store
 * </pre>
 *
 * Errors are §5.2 JSON: {@code invalid_request} (400), {@code unsupported_grant_type} (400), {@code invalid_client}
 * (401, with {@code WWW-Authenticate: Basic} when Basic was used), and 429 {@code temporarily_unavailable} with
 * {@code Retry-After} once a client id has failed too often. While the database is unreachable the answer is 503
 * {@code temporarily_unavailable} with {@code Retry-After}: §5.2 defines no code for it, so the one §4.1.2.1 defines
 * for the same condition at the authorization endpoint is reused, as clients already know it.
 */
@Path("/oauth/token")
public class OAuthTokenEndpoint {

    private static final Logger LOG = Logger.getLogger(OAuthTokenEndpoint.class);
    private static final String FORM = "application/x-www-form-urlencoded";

    private final ClientCredentialsService clientCredentials;
    private final FailedClientAttempts failures;
    private final RequestMetrics metrics;

    public OAuthTokenEndpoint(ClientCredentialsService clientCredentials, FailedClientAttempts failures,
            RequestMetrics metrics) {
        this.clientCredentials = clientCredentials;
        this.failures = failures;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
            return answer(error(400, "invalid_request", "Send the request as " + FORM + " (RFC 6749 §4.4.2)"));
        }
        Map<String, String> form;
        try {
            form = parse(body);
        } catch (IllegalArgumentException e) {
            return answer(error(400, "invalid_request", e.getMessage()));
        }
        String grantType = form.get("grant_type");
        if (grantType == null || grantType.isBlank()) {
            return answer(error(400, "invalid_request", "grant_type is missing; send grant_type=client_credentials"));
        }
        if (!grantType.equals("client_credentials")) {
            return answer(error(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported"));
        }
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        String clientId;
        String clientSecret;
        if (basic) {
            if (form.containsKey("client_secret")) {
                return answer(error(400, "invalid_request", "Authenticate the client one way: HTTP Basic or "
                        + "client_id and client_secret in the body, not both (RFC 6749 §2.3)"));
            }
            String[] credentials = basicCredentials(authorization.substring(6).trim());
            if (credentials == null) {
                return answer(error(400, "invalid_request", "The Basic credentials are not base64 of "
                        + "client_id:client_secret"));
            }
            clientId = credentials[0];
            clientSecret = credentials[1];
        } else {
            clientId = form.get("client_id");
            clientSecret = form.get("client_secret");
            if (clientId == null || clientSecret == null) {
                return answer(error(400, "invalid_request", "Authenticate the client with HTTP Basic or with "
                        + "client_id and client_secret in the body"));
            }
        }
        Duration wait = failures.waitFor(clientId);
        if (!wait.isZero()) {
            metrics.refused("oauth", AuthRefusal.CLIENT_THROTTLED);
            return answer(Response.fromResponse(error(429, "temporarily_unavailable", "Too many failed "
                    + "authentications of this client; retry later")).header("Retry-After",
                            Math.max(1, wait.toSeconds() + 1)).build());
        }
        RequestObservation.channel("oauth");
        return clientCredentials.token(clientId, clientSecret).map(issued -> {
            if (issued.isEmpty()) {
                failures.failed(clientId);
                metrics.refused("oauth", AuthRefusal.INVALID_CLIENT);
                Response.ResponseBuilder refused = Response.fromResponse(error(401, "invalid_client",
                        "Client authentication failed: unknown client, wrong or revoked secret, or a revoked key"));
                if (basic) {
                    refused.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"rollcall\"");
                }
                return refused.build();
            }
            return noStore(Response.ok(new JsonObject().put("access_token", issued.get().accessToken())
                    .put("token_type", "Bearer").put("expires_in", issued.get().expiresInSeconds()).encode()))
                    .build();
        }).onFailure(StoreFailures::unavailable).recoverWithItem(failure -> {
            // RFC 6749 §5.2 has no code for a server that cannot answer now: temporarily_unavailable is §4.1.2.1's
            LOG.warnf("The database is unreachable on /oauth/token: %s", failure.toString());
            return Response.fromResponse(error(503, "temporarily_unavailable", "The server cannot reach its "
                    + "database now; retry in a few seconds")).header("Retry-After", ErrorMapper.RETRY_AFTER_SECONDS)
                    .build();
        });
    }

    private static Uni<Response> answer(Response response) {
        return Uni.createFrom().item(response);
    }

    private static Response error(int status, String code, String description) {
        return noStore(Response.status(status).entity(new JsonObject().put("error", code)
                .put("error_description", description).encode())).build();
    }

    private static Response.ResponseBuilder noStore(Response.ResponseBuilder builder) {
        return builder.type(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    /** {@code application/x-www-form-urlencoded}; a parameter sent twice is an error (RFC 6749 §3.2). */
    private static Map<String, String> parse(String body) {
        Map<String, String> form = new HashMap<>();
        if (body == null || body.isBlank()) {
            return form;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            if (form.put(name, value) != null) {
                throw new IllegalArgumentException("Parameter " + name + " is sent more than once");
            }
        }
        return form;
    }

    /** RFC 6749 §2.3.1: both parts form-urlencoded before Basic encoding. */
    private static String[] basicCredentials(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] { URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8) };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
