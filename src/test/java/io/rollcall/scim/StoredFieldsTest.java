package io.rollcall.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A stored document's top-level attributes, found by scanning its text, are those a JSON parser finds, each value's
 * text as it stands in the document.
 */
class StoredFieldsTest {

    private static final String[] DOCUMENTS = {
        "{}",
        " { } ",
        "{\"a\": 1}",
        "{\"name\": {\"givenName\": \"Ana\", \"familyName\": \"Lima\"}, \"active\": true, \"emails\": [{\"type\": \"work\","
                + " \"value\": \"ana@example.com\", \"primary\": true}], \"schemas\": [\"urn:ietf:params:scim:schemas:core:"
                + "2.0:User\"], \"userName\": \"ana\", \"externalId\": null, \"displayName\": \"Ana Lima\"}",
        "{\"n\":-1.5e-3,\"t\":false,\"u\":null,\"s\":\"\",\"e\":[],\"o\":{}}",
        "{\"tricky\": \"a \\\"quoted\\\" } ] , { [ value\\\\\", \"after\": [\"]\", \"}\", {\"x\": \"\\\\\"}], \"z\": 0}",
        "{\"caf\\u00e9\": \"\\u00e9t\\u00e9\", \"tab\\tname\": 1, \"plain\": \"\\ud83d\\ude00 emoji\"}",
        "{\"deep\": [[[{\"a\": [1, 2, {\"b\": [\"[\"]}]}]]], \"last\": \"x\"}",
        "{\n  \"pretty\" : [ 1 , 2 ] ,\n  \"x\" : { \"y\" : \"z\" }\n}",
        "{\"unicode\": \"ünïcödé — 名前\", \"n\": 12345678901234567890}",
        // 0 to 4 backslashes before a quote: an even number leaves the quote closing the string
        "{\"b0\": \"a\", \"b1\": \"a\\\"b\", \"b2\": \"a\\\\\", \"b3\": \"a\\\\\\\"b\", \"b4\": \"\\\\\\\\\", \"z\": 1}",
        "{\"esc\\\"aped\": [\"\\\"]\"], \"after\": {\"k\": \"}\"}}",
    };

    @Test
    void findsTheAttributesAndValueTextsAParserFinds() throws IOException {
        for (String document : DOCUMENTS) {
            Map<String, String> expected = parsed(document);
            StoredFields fields = StoredFields.of(document);
            for (Map.Entry<String, String> field : expected.entrySet()) {
                assertEquals(field.getValue(), fields.raw(field.getKey()), document);
            }
            assertNull(fields.raw("absent"), document);
        }
    }

    @Test
    void refusesWhatIsNotAJsonObject() {
        for (String document : new String[] { "", "[]", "\"text\"", "{", "{\"a\"}", "{\"a\": }", "{\"a\": [1, 2}",
                "{\"a\": \"open}", "{\"a\": 1 \"b\": 2}", "{\"a\": 1,}" }) {
            assertThrows(IllegalStateException.class, () -> StoredFields.of(document), document);
        }
    }

    /** The values' texts as a JSON parser delimits them. */
    private static Map<String, String> parsed(String document) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser in = ScimJson.MAPPER.getFactory().createParser(document)) {
            assertEquals(JsonToken.START_OBJECT, in.nextToken());
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken value = in.nextToken();
                int start = (int) in.currentTokenLocation().getCharOffset();
                if (value.isStructStart()) {
                    in.skipChildren();
                } else {
                    in.finishToken();
                }
                fields.put(name, document.substring(start, (int) in.currentLocation().getCharOffset()));
            }
        }
        return fields;
    }
}
