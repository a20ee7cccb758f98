package io.rollcall.http;

import java.util.Locale;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.service.ScimFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * JSON bodies are UTF-8 (RFC 8259 §8.1, RFC 7644 §3.1): a {@code Content-Type} naming another {@code charset} is 415,
 * before anything reads the body, instead of a UTF-16 or Latin-1 body being read as UTF-8 and stored garbled.
 */
public class RequestCharset {

    @ServerRequestFilter
    public void refuseOtherCharsets(HttpServerRequest request) {
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType == null || Api.of(request.path()) == Api.OTHER) {
            return;
        }
        String charset = charset(contentType);
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
