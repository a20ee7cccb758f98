package io.rollcall.http;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.unboundid.scim2.common.exceptions.PreconditionFailedException;

import io.rollcall.service.ScimFailure;
import io.vertx.core.http.HttpServerRequest;

/**
 * An {@code If-Match} header that is present but empty is a precondition that lists no entity tag, so it cannot hold:
 * 412 (RFC 9110 §13.1.1, RFC 7644 §3.14), never a write without precondition. RESTEasy hands an empty header to the
 * endpoints as absent, so the refusal happens here, on the raw request, after the token check (a stranger still gets
 * 401) and before any endpoint reads the body.
 */
public class EmptyPreconditions {

    private static final String IF_MATCH = "If-Match";

    @ServerRequestFilter
    public void refuseEmptyIfMatch(HttpServerRequest request) {
        if (Api.of(request.path()) == Api.OTHER || !request.headers().contains(IF_MATCH)) {
            return;
        }
        for (String value : request.headers().getAll(IF_MATCH)) {
            if (value.isBlank()) {
                throw ScimFailure.of(new PreconditionFailedException("If-Match is empty: it names no version, so it "
                        + "cannot hold and nothing was changed. Send the resource's ETag (meta.version) or leave the "
                        + "header out"));
            }
        }
    }
}
