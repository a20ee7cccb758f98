package io.rollcall.console;

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
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ForbiddenException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.exceptions.UnauthorizedException;

import io.rollcall.auth.CallerResolver;
import io.rollcall.auth.ConsoleSessions;
import io.rollcall.auth.ConsoleSessions.Session;
import io.rollcall.auth.TokenVerifier;
import io.rollcall.service.ScimFailure;
import io.smallrye.mutiny.Uni;

/**
 * {@code /console/session}: the console's sign-in and sign-out. {@code POST {"token": "…"}} checks an access key's token
 * as the API gate does (signature, issuer, expiry, key active in the store) and answers 201 with the session's CSRF
 * token, setting the session cookie ({@code HttpOnly}, {@code SameSite=Strict}, {@code Secure} when the request came
 * over HTTPS, also behind a proxy that says so). {@code GET} answers the live session's CSRF token again (a reloaded
 * page has nothing else to find it in), 401 when there is none. {@code DELETE} (with the CSRF header) ends the session
 * on the server and clears the cookie. Errors are RFC 9457 problems.
 */
@Path("/console")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SessionEndpoint {

    /** {@code POST /console/session}. */
    public record SignIn(String token) {
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

    public SessionEndpoint(TokenVerifier verifier, CallerResolver resolver, ConsoleSessions sessions) {
        this.verifier = verifier;
        this.resolver = resolver;
        this.sessions = sessions;
    }

    /** {@code /console} without its slash: the page's relative links need {@code /console/}. */
    @GET
    @Produces(MediaType.WILDCARD)
    public RestResponse<Void> page(@Context UriInfo uriInfo) {
        return RestResponse.seeOther(uriInfo.getBaseUriBuilder().path("console/").build());
    }

    @POST
    @Path("session")
    public Uni<RestResponse<SessionJson>> signIn(SignIn request, @Context UriInfo uriInfo) {
        if (request == null || request.token() == null || request.token().isBlank()) {
            return failure(BadRequestException.invalidValue("Paste an access key's token: send {\"token\": \"…\"}"));
        }
        Optional<TokenVerifier.VerifiedToken> token = verifier.verify(request.token().trim());
        if (token.isEmpty()) {
            return failure(new UnauthorizedException("This token is not valid: it is incomplete, not issued by this "
                    + "server, or expired"));
        }
        return resolver.resolve(token.get()).chain(principal -> {
            if (principal.isEmpty()) {
                return failure(new UnauthorizedException("This token's access key is revoked or expired; ask an "
                        + "administrator for a new key"));
            }
            ConsoleSessions.Opened opened;
            try {
                opened = sessions.open(token.get());
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
