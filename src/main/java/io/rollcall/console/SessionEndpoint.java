package io.rollcall.console;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ForbiddenException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.exceptions.UnauthorizedException;

import io.rollcall.admin.FailedClientAttempts;
import io.rollcall.auth.CallerResolver;
import io.rollcall.auth.ConsoleSessions;
import io.rollcall.auth.ConsoleSessions.Session;
import io.rollcall.auth.TokenVerifier;
import io.rollcall.http.Api;
import io.rollcall.http.ApiError;
import io.rollcall.service.ClientCredentialsService;
import io.rollcall.service.ScimFailure;
import io.smallrye.mutiny.Uni;

/**
 * {@code /console/session}: the console's sign-in and sign-out. {@code POST {"token": "…"}} checks an access key's token
 * as the API gate does (signature, issuer, expiry, key active in the store), {@code POST {"clientId", "clientSecret"}}
 * a key id and client secret as {@code POST /oauth/token} does, and answers 201 with the session's CSRF
 * token, setting the session cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} when the request came
 * over HTTPS, also behind a proxy that says so). {@code GET} answers the live session's CSRF token again (a reloaded
 * page has nothing else to find it in), 401 when there is none. {@code DELETE} (with the CSRF header) ends the session
 * on the server and clears the cookie. Errors are RFC 9457 problems.
 */
@Path("/console")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionEndpoint {

    /**
     * {@code POST /console/session}: an access key's {@code token}, or the key's id ({@code clientId}) and one of its
     * client secrets ({@code clientSecret}), checked as {@code POST /oauth/token} checks them.
     */
    public record SignIn(String token, String clientId, String clientSecret) {
    }

    /** What the console keeps in memory (never in storage) while the page is open. */
    public record SessionJson(String csrfToken, Instant expiresAt) {

        static SessionJson of(Session session) {
            return new SessionJson(session.csrfToken(), session.expiresAt());
        }
    }

    private final TokenVerifier verifier;
    private final CallerResolver resolver;
    private final ConsoleSessions sessions;
    private final ClientCredentialsService clientCredentials;
    private final FailedClientAttempts failures;

    public SessionEndpoint(TokenVerifier verifier, CallerResolver resolver, ConsoleSessions sessions,
            ClientCredentialsService clientCredentials, FailedClientAttempts failures) {
        this.verifier = verifier;
        this.resolver = resolver;
        this.sessions = sessions;
        this.clientCredentials = clientCredentials;
        this.failures = failures;
    }

    /** {@code /console} without its slash: the page's relative links need {@code /console/}. */
    @GET
    @Produces(MediaType.WILDCARD)
    public RestResponse<Void> page(@Context UriInfo uriInfo) {
        return RestResponse.seeOther(uriInfo.getBaseUriBuilder().path("console/").build());
    }

    @POST
    @Path("session")
    public Uni<Response> signIn(SignIn request, @Context UriInfo uriInfo) {
        boolean withToken = request != null && request.token() != null;
        boolean withSecret = request != null && (request.clientId() != null || request.clientSecret() != null);
        if (withToken && withSecret) {
            return failure(BadRequestException.invalidValue("Sign in one way: an access key's token, or its key id "
                    + "and a client secret, not both"));
        }
        if (withSecret) {
            return signInWithSecret(request, uriInfo);
        }
        return signInWithToken(request, uriInfo).map(RestResponse::toResponse);
    }

    private Uni<RestResponse<SessionJson>> signInWithToken(SignIn request, UriInfo uriInfo) {
        if (request == null || request.token() == null || request.token().isBlank()) {
            return failure(BadRequestException.invalidValue("Paste an access key's token: send {\"token\": \"…\"}, "
                    + "or {\"clientId\": \"<key id>\", \"clientSecret\": \"…\"}"));
        }
        Optional<TokenVerifier.VerifiedToken> token = verifier.verify(request.token().trim());
        if (token.isEmpty()) {
            return failure(new UnauthorizedException("This token is not valid: it is incomplete, not issued by this "
                    + "server, or expired"));
        }
        return open(token.get(), uriInfo);
    }

    /**
     * The key id and client secret exchanged as {@code POST /oauth/token} does ({@link ClientCredentialsService#token}),
     * under the same per-client limit on failures ({@link FailedClientAttempts}: 429 with {@code Retry-After}); the
     * session then holds the issued token's identity (its expiry, one token lifetime, bounds the session). The secret
     * is neither kept nor logged.
     */
    private Uni<Response> signInWithSecret(SignIn request, UriInfo uriInfo) {
        String clientId = request.clientId() == null ? "" : request.clientId().trim();
        String secret = request.clientSecret() == null ? "" : request.clientSecret().trim();
        if (clientId.isEmpty()) {
            return failure(BadRequestException.invalidValue("Enter the access key's id (the client id) with its "
                    + "client secret"));
        }
        if (secret.isEmpty()) {
            return failure(BadRequestException.invalidValue("Paste a client secret of access key " + clientId));
        }
        Duration wait = failures.waitFor(clientId);
        if (!wait.isZero()) {
            long seconds = Math.max(1, wait.toSeconds() + 1);
            return Uni.createFrom().item(new ApiError(429, null, "Too many failed sign-ins with this key id; try "
                    + "again in " + seconds + " seconds").withHeader("Retry-After", Long.toString(seconds))
                    .withHeader(HttpHeaders.CACHE_CONTROL, "no-store").toResponse(Api.OTHER));
        }
        return clientCredentials.token(clientId, secret).chain(issued -> {
            if (issued.isEmpty()) {
                failures.failed(clientId);
                return failure(new UnauthorizedException("This key id and client secret do not sign in: the id is not "
                        + "an access key's, or the secret is wrong or revoked, or the key is revoked"));
            }
            Optional<TokenVerifier.VerifiedToken> token = verifier.verify(issued.get().accessToken());
            if (token.isEmpty()) {
                return failure(new UnauthorizedException("The token issued for this client secret is not valid"));
            }
            return open(token.get(), uriInfo);
        }).map(RestResponse::toResponse);
    }

    private Uni<RestResponse<SessionJson>> open(TokenVerifier.VerifiedToken token, UriInfo uriInfo) {
        return resolver.resolve(token).chain(principal -> {
            if (principal.isEmpty()) {
                return failure(new UnauthorizedException("This token's access key is revoked or expired; ask an "
                        + "administrator for a new key"));
            }
            ConsoleSessions.Opened opened;
            try {
                opened = sessions.open(token);
            } catch (ConsoleSessions.TooManySessions e) {
                return failure(new ScimException(503, null, e.getMessage()));
            }
            return Uni.createFrom().item(RestResponse.ResponseBuilder.<SessionJson>create(RestResponse.Status.CREATED)
                    .header(HttpHeaders.SET_COOKIE, cookie(opened.id(), secure(uriInfo), false))
                    .header(HttpHeaders.CACHE_CONTROL, "no-store")
                    .entity(SessionJson.of(opened.session())).build());
        });
    }

    @GET
    @Path("session")
    public RestResponse<SessionJson> current(@CookieParam(ConsoleSessions.COOKIE) String sessionId) {
        Session session = sessions.use(sessionId).orElseThrow(() -> ScimFailure.of(
                new UnauthorizedException("Not signed in to the console, or the session has ended")));
        return RestResponse.ResponseBuilder.ok(SessionJson.of(session))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @DELETE
    @Path("session")
    public RestResponse<Void> signOut(@CookieParam(ConsoleSessions.COOKIE) String sessionId,
            @HeaderParam(ConsoleSessions.CSRF_HEADER) String csrf, @Context UriInfo uriInfo) {
        Optional<Session> session = sessions.use(sessionId);
        if (session.isPresent() && !ConsoleSessions.csrfMatches(session.get(), csrf)) {
            throw ScimFailure.of(new ForbiddenException("Signing out needs the session's CSRF token in the "
                    + ConsoleSessions.CSRF_HEADER + " header"));
        }
        sessions.close(sessionId);
        return RestResponse.ResponseBuilder.<Void>create(RestResponse.Status.NO_CONTENT)
                .header(HttpHeaders.SET_COOKIE, cookie("", secure(uriInfo), true)).build();
    }

    /** A session cookie (no {@code Max-Age}: the browser forgets it when it closes; the server ends it earlier). */
    static String cookie(String value, boolean secure, boolean clear) {
        return ConsoleSessions.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
                + (clear ? "; Max-Age=0" : "");
    }

    private static boolean secure(UriInfo uriInfo) {
        return "https".equalsIgnoreCase(uriInfo.getRequestUri().getScheme());
    }

    private static <T> Uni<T> failure(ScimException e) {
        return Uni.createFrom().failure(ScimFailure.of(e));
    }
}
