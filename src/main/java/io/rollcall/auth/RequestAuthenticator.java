package io.rollcall.auth;

import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.unboundid.scim2.common.exceptions.ForbiddenException;
import com.unboundid.scim2.common.exceptions.UnauthorizedException;

import io.rollcall.access.PermissionCatalogue;
import io.rollcall.access.Principal;
import io.rollcall.http.Api;
import io.rollcall.service.OperatorCredential;
import io.rollcall.service.ScimFailure;
import io.smallrye.mutiny.Uni;

/**
 * The gate in front of {@code /scim/v2} and {@code /admin/v1}, run before routing so that an anonymous caller learns
 * nothing (not even whether a path exists). A request passes only with a bearer token that SmallRye JWT verifies and
 * whose access key is active in the store; {@code /scim/v2} further requires {@code scim:provision}, which only the SCIM
 * Client role grants. Admin endpoints check their own named permission. {@code /admin/v1/organizations} takes only the
 * platform operator's token, which nothing else takes.
 */
public class RequestAuthenticator {

    private static final String BEARER = "bearer ";
    private static final String ORGANIZATIONS = "/admin/v1/organizations";

    private final TokenVerifier verifier;
    private final CallerResolver resolver;
    private final CurrentCaller currentCaller;
    private final OperatorCredential operator;

    public RequestAuthenticator(TokenVerifier verifier, CallerResolver resolver, CurrentCaller currentCaller,
            OperatorCredential operator) {
        this.verifier = verifier;
        this.resolver = resolver;
        this.currentCaller = currentCaller;
        this.operator = operator;
    }

    @ServerRequestFilter(preMatching = true)
    public Uni<Void> authenticate(ContainerRequestContext request) {
        Api api = Api.of(request.getUriInfo().getPath());
        if (api == Api.OTHER) {
            return Uni.createFrom().voidItem();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            return refuse("This endpoint needs an access key: send 'Authorization: Bearer <token>'");
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return refuse("The Authorization header must use the Bearer scheme: 'Authorization: Bearer <token>'");
        }
        String bearer = header.substring(BEARER.length()).trim();
        String path = request.getUriInfo().getPath();
        boolean organizations = path.equals(ORGANIZATIONS) || path.startsWith(ORGANIZATIONS + "/");
        if (operator.matches(bearer)) {
            if (!organizations) {
                return Uni.createFrom().failure(ScimFailure.of(new ForbiddenException("The platform operator's token "
                        + "manages organizations (" + ORGANIZATIONS + ") and can do nothing inside one; use an access "
                        + "key of the organization")));
            }
            currentCaller.set(Principal.operator());
            return Uni.createFrom().voidItem();
        }
        Optional<TokenVerifier.VerifiedToken> token = verifier.verify(bearer);
        if (token.isPresent() && organizations) {
            return Uni.createFrom().failure(ScimFailure.of(new ForbiddenException("Organizations are managed with the "
                    + "platform operator's token; an organization's access keys cannot")));
        }
        if (token.isEmpty()) {
            return refuse("The bearer token is not valid: it is malformed, not signed by this server, or expired");
        }
        return resolver.resolve(token.get()).chain(principal -> {
            if (principal.isEmpty()) {
                return refuse("The bearer token's access key is revoked, expired or unknown; ask an administrator "
                        + "for a new key");
            }
            if (api == Api.SCIM && !principal.get().allows(PermissionCatalogue.SCIM_PROVISION)) {
                return Uni.createFrom().failure(ScimFailure.of(new ForbiddenException("This access key does not hold "
                        + "the SCIM Client role, which /scim/v2 requires; it holds " + principal.get().roles())));
            }
            currentCaller.set(principal.get());
            return Uni.createFrom().voidItem();
        });
    }

    private static Uni<Void> refuse(String detail) {
        return Uni.createFrom().failure(ScimFailure.of(new UnauthorizedException(detail)));
    }

}
