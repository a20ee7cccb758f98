package io.rollcall.scim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * JSON string values whose text needs no escaping by construction — ids (UUIDs), instants, URLs of a plain base —
 * written as they are, without the generator's per-character escaping (on a page of users, Jackson's escaping loop
 * was the largest single cost of the server after the documents themselves).
 */
final class PlainText {

    private PlainText() {
    }

    /** Whether every character is printable ASCII other than {@code "} and {@code \}. */
    static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code text}, which must be {@link #isPlain plain}, as a JSON string. */
    static void write(JsonGenerator out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        out.writeRawUTF8String(bytes, 0, bytes.length);
    }
}
