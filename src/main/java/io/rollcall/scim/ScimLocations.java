package io.rollcall.scim;

import java.io.IOException;
import java.net.URI;
import java.util.UUID;

import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Absolute {@code meta.location} URLs (RFC 7643 §3.1), built from the request as the client addressed it. Behind a
 * proxy, Quarkus' forwarded-header support ({@code quarkus.http.proxy.*}) makes the request's URI carry the
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} the proxy set.
 */
public final class ScimLocations {

    public static final String ROOT = "scim/v2";

    private final String base;
    /** Whether the base needs no JSON escaping (as any URL the client reached this server by does). */
    private final boolean plain;

    private ScimLocations(String base) {
        this.base = base;
        this.plain = PlainText.isPlain(base);
    }

    public static ScimLocations of(UriInfo uriInfo) {
        String server = uriInfo.getBaseUri().toString();
        return new ScimLocations((server.endsWith("/") ? server : server + "/") + ROOT);
    }

    /** {@code <base>/<endpoint>/<id>}, with the id percent-encoded as a path segment. */
    public URI of(String endpoint, String id) {
        return URI.create(href(endpoint, id));
    }

    /** {@link #of(String, String)} as text. */
    public String href(String endpoint, String id) {
        return base + endpoint + "/" + encodeSegment(id);
    }

    /** {@link #href(String, String)} for an id that is a UUID, whose text needs no encoding. */
    public String href(String endpoint, UUID id) {
        return base + endpoint + "/" + id;
    }

    /** {@link #href(String, UUID)} as a JSON string value. */
    void write(JsonGenerator out, String endpoint, UUID id) throws IOException {
        if (plain) {
            PlainText.write(out, href(endpoint, id));
        } else {
            out.writeString(href(endpoint, id));
        }
    }

    public URI of(String endpoint) {
        return URI.create(base + endpoint);
    }

    private static String encodeSegment(String segment) {
        if (isUuid(segment)) {
            return segment;
        }
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:@!$&'()*+,;=".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** Ids are UUIDs, whose text needs no encoding: the common case skips the byte loop. */
    private static boolean isUuid(String segment) {
        if (segment.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = segment.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
