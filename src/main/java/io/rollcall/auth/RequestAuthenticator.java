package io.rollcall.auth;

import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.unboundid.scim2.common.exceptions.ForbiddenException;
import com.unboundid.scim2.common.exceptions.UnauthorizedException;

import io.rollcall.access.PermissionCatalogue;
import io.rollcall.access.Principal;
import io.rollcall.http.Api;
import io.rollcall.observability.RequestMetrics;
import io.rollcall.observability.RequestObservation;
import io.rollcall.observability.RequestMetrics.AuthRefusal;
import io.rollcall.service.OperatorCredential;
import io.rollcall.service.ScimFailure;
import io.smallrye.mutiny.Uni;

/**
 * The gate in front of {@code /scim/v2} and {@code /admin/v1}, run before routing so that an anonymous caller learns
 * nothing (not even whether a path exists). A request passes only with a bearer token that SmallRye JWT verifies and
 * whose access key is active in the store; {@code /scim/v2} further requires {@code scim:provision}, which only the SCIM
 * Client role grants. Admin endpoints check their own named permission. {@code /admin/v1/organizations} takes only the
 * platform operator's token, which nothing else takes.
 * <p>
 * {@code /admin/v1} also accepts the console's session cookie ({@link ConsoleSessions}) when the request has no
 * {@code Authorization} header: a read passes with the cookie alone, a write (any method but GET, HEAD and OPTIONS)
 * only when its {@code X-CSRF-Token} header is the session's CSRF token (403 otherwise). The cookie is never accepted on
 * {@code /scim/v2}, which stays bearer-only, nor on {@code /admin/v1/organizations}.
 */
public class RequestAuthenticator {

    private static final String BEARER = "bearer ";
    private static final String ORGANIZATIONS = "/admin/v1/organizations";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final TokenVerifier verifier;
    private final CallerResolver resolver;
    private final CurrentCaller currentCaller;
    private final OperatorCredential operator;
    private final ConsoleSessions sessions;
    private final RequestMetrics metrics;

    public RequestAuthenticator(TokenVerifier verifier, CallerResolver resolver, CurrentCaller currentCaller,
            OperatorCredential operator, ConsoleSessions sessions, RequestMetrics metrics) {
        this.verifier = verifier;
        this.resolver = resolver;
        this.currentCaller = currentCaller;
        this.operator = operator;
        this.sessions = sessions;
        this.metrics = metrics;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Void> authenticate(ContainerRequestContext request) {
        Api api = Api.of(request.getUriInfo().getPath());
        if (api == Api.OTHER) {
            return Uni.createFrom().voidItem();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            Cookie cookie = request.getCookies().get(ConsoleSessions.COOKIE);
            if (api == Api.ADMIN && cookie != null && !organizations(request.getUriInfo().getPath())) {
                return throughSession(request, cookie.getValue());
            }
            return refuse(api, AuthRefusal.NO_CREDENTIALS, "This endpoint needs an access key: send 'Authorization: Bearer <token>'");
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return refuse(api, AuthRefusal.NOT_BEARER, "The Authorization header must use the Bearer scheme: 'Authorization: Bearer <token>'");
        }
        String bearer = header.substring(BEARER.length()).trim();
        boolean organizations = organizations(request.getUriInfo().getPath());
        if (operator.matches(bearer)) {
            if (!organizations) {
                return forbid(api, AuthRefusal.OPERATOR_OUTSIDE_ORGANIZATIONS, "The platform operator's token "
                        + "manages organizations (" + ORGANIZATIONS + ") and can do nothing inside one; use an access "
                        + "key of the organization");
            }
            currentCaller.set(Principal.operator());
            metrics.admitted(Principal.OPERATOR);
            RequestObservation.channel("operator");
            return Uni.createFrom().voidItem();
        }
        Optional<TokenVerifier.VerifiedToken> token = verifier.verify(bearer);
        if (token.isPresent() && organizations) {
            return forbid(api, AuthRefusal.KEY_ON_ORGANIZATIONS, "Organizations are managed with the "
                    + "platform operator's token; an organization's access keys cannot");
        }
        if (token.isEmpty()) {
            return refuse(api, AuthRefusal.INVALID_TOKEN, "The bearer token is not valid: it is malformed, not signed by this server, or expired");
        }
        return admit(api, token.get());
    }

    private Uni<Void> throughSession(ContainerRequestContext request, String sessionId) {
        Optional<ConsoleSessions.Session> session = sessions.use(sessionId);
        if (session.isEmpty()) {
            return refuse(Api.ADMIN, AuthRefusal.SESSION_ENDED, "The console session has ended (signed out, idle too long or expired); sign in again");
        }
        if (!SAFE_METHODS.contains(request.getMethod())
                && !ConsoleSessions.csrfMatches(session.get(), request.getHeaderString(ConsoleSessions.CSRF_HEADER))) {
            return forbid(Api.ADMIN, AuthRefusal.CSRF, "A change made with the console's "
                    + "session cookie needs the session's CSRF token in the " + ConsoleSessions.CSRF_HEADER
                    + " header; reload the console and try again");
        }
        return admit(Api.ADMIN, session.get().token()).invoke(() -> RequestObservation.channel("console"));
    }

    private Uni<Void> admit(Api api, TokenVerifier.VerifiedToken token) {
        return resolver.resolve(token).onFailure(ScimFailure.class).invoke(failure -> {
            if (((ScimFailure) failure).scimException() instanceof ForbiddenException) {
                // the only refusal resolving a token makes: the key's organization is suspended
                metrics.refused(label(api), AuthRefusal.ORGANIZATION_SUSPENDED);
            }
        }).chain(principal -> {
            if (principal.isEmpty()) {
                return refuse(api, AuthRefusal.KEY_INACTIVE, "The bearer token's access key is revoked, expired or unknown; ask an administrator "
                        + "for a new key");
            }
            if (api == Api.SCIM && !principal.get().allows(PermissionCatalogue.SCIM_PROVISION)) {
                return forbid(api, AuthRefusal.NOT_SCIM_CLIENT, "This access key does not hold "
                        + "the SCIM Client role, which /scim/v2 requires; it holds " + principal.get().roles());
            }
            currentCaller.set(principal.get());
            metrics.admitted(principal.get().name());
            RequestObservation.channel(api == Api.SCIM ? "scim" : "admin");
            return Uni.createFrom().voidItem();
        });
    }

    private static boolean organizations(String path) {
        return path.equals(ORGANIZATIONS) || path.startsWith(ORGANIZATIONS + "/");
    }

    private Uni<Void> refuse(Api api, AuthRefusal reason, String detail) {
        metrics.refused(label(api), reason);
        return Uni.createFrom().failure(ScimFailure.of(new UnauthorizedException(detail)));
    }

    private Uni<Void> forbid(Api api, AuthRefusal reason, String detail) {
        metrics.refused(label(api), reason);
        return Uni.createFrom().failure(ScimFailure.of(new ForbiddenException(detail)));
    }

    private static String label(Api api) {
        return api.name().toLowerCase();
    }

}
