package io.rollcall.http;

import java.util.Locale;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.unboundid.scim2.common.exceptions.PreconditionFailedException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.service.ScimFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Request headers refused on the raw request, after the token check (a stranger still gets 401) and before any endpoint
 * reads the body; one filter, so that a request is classified once.
 * <ul>
 * <li>An {@code If-Match} that is present but empty is a precondition that lists no entity tag, so it cannot hold: 412
 * (RFC 9110 §13.1.1, RFC 7644 §3.14), never a write without precondition. RESTEasy hands an empty header to the
 * endpoints as absent, hence the check here.</li>
 * <li>JSON bodies are UTF-8 (RFC 8259 §8.1, RFC 7644 §3.1): a {@code Content-Type} naming another {@code charset} is
 * 415, instead of a UTF-16 or Latin-1 body being read as UTF-8 and stored garbled.</li>
 * </ul>
 */
public class RequestHeaderChecks {

    private static final String IF_MATCH = "If-Match";

    @ServerRequestFilter
    public void check(HttpServerRequest request) {
        if (Api.of(request.path()) == Api.OTHER) {
            return;
        }
        refuseEmptyIfMatch(request);
        refuseOtherCharsets(request.getHeader(HttpHeaders.CONTENT_TYPE));
    }

    private static void refuseEmptyIfMatch(HttpServerRequest request) {
        if (!request.headers().contains(IF_MATCH)) {
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

    private static void refuseOtherCharsets(String contentType) {
        String charset = contentType == null ? null : charset(contentType);
        if (charset != null && !charset.equals("utf-8") && !charset.equals("utf8")) {
            throw ScimFailure.of(new ScimException(415, null, "The body's charset is '" + charset + "'; send it as "
                    + "UTF-8 (Content-Type: application/scim+json; charset=utf-8, or no charset)"));
        }
    }

    /** The {@code charset} parameter, lower-cased and unquoted, or null when there is none. */
    static String charset(String contentType) {
        for (String parameter : contentType.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
                return parameter.substring(equals + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }
}
