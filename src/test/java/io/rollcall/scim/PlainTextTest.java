package io.rollcall.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;

/** Ids, instants and plain URLs written without escaping are the JSON strings the generator would have written. */
class PlainTextTest {

    @Test
    void plainTextIsWrittenAsTheGeneratorWouldEscapeIt() throws IOException {
        for (String text : new String[] { UUID.randomUUID().toString(), InstantText.of(Instant.now()),
                "https://rollcall.example:8443/scim/v2/Users/" + UUID.randomUUID(), "", "a b ~ { } [ ] / '" }) {
            assertTrue(PlainText.isPlain(text), text);
            assertEquals(written(out -> out.writeString(text)), written(out -> PlainText.write(out, text)));
        }
    }

    @Test
    void textThatJsonMustEscapeOrThatIsNotAsciiIsNotPlain() {
        for (String text : new String[] { "quote\"", "back\\slash", "tab\t", "new\nline", "\u0000", "é", "\u2028",
                "\u007f" }) {
            assertFalse(PlainText.isPlain(text), text);
        }
    }

    private interface Writing {
        void to(JsonGenerator out) throws IOException;
    }

    private static String written(Writing writing) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = ScimJson.MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            out.writeStartArray();
            writing.to(out);
            writing.to(out);
            out.writeEndArray();
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
