package io.rollcall.service;

import com.unboundid.scim2.common.exceptions.PreconditionFailedException;

/**
 * Resource versions as ETags (RFC 7644 §3.14): {@code W/"<version>"}. An {@code If-Match} naming none of the current
 * version (and not {@code *}) fails with 412.
 */
public final class ETags {

    private ETags() {
    }

    public static String etag(long version) {
        return "W/\"" + version + "\"";
    }

    /** @param ifMatch the header's value, or null when absent */
    public static void checkIfMatch(String ifMatch, long current) throws PreconditionFailedException {
        if (ifMatch == null || ifMatch.isBlank() || matches(ifMatch, current)) {
            return;
        }
        throw new PreconditionFailedException("The resource is at version " + etag(current) + ", not " + ifMatch.trim()
                + "; read it again and retry with its current ETag");
    }

    /** Whether an {@code If-Match}/{@code If-None-Match} list names this version (weak comparison, or {@code *}). */
    public static boolean matches(String header, long current) {
        String wanted = "\"" + current + "\"";
        for (String tag : header.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(wanted) || t.equals("W/" + wanted)) {
                return true;
            }
        }
        return false;
    }
}
