package io.rollcall.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** RFC 7644 §3.12 invalidSyntax details: where the body breaks, without repeating what it contains. */
class JsonProblemsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rfc7644_3_12_anUnquotedSecretIsLocatedButNotRepeated() {
        String detail = describe("{\"userName\":\"a@example.com\",\"password\":Sup3rSecretPW2}");

        assertFalse(detail.contains("Sup3rSecretPW2"), detail);
        assertEquals("The body is not valid JSON: Unrecognized token: was expecting (JSON String, Number, Array, "
                + "Object or token 'null', 'true' or 'false') (line 1, column 40)", detail);
    }

    @Test
    void rfc7644_3_12_otherSyntaxErrorsKeepJacksonsExplanation() {
        String detail = describe("{\"userName\":\"a@example.com\"");

        assertEquals("The body is not valid JSON: Unexpected end-of-input: expected close marker for Object "
                + "(start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "
                + "line: 1, column: 1]) (line 1, column 28)", detail);
    }

    private static String describe(String body) {
        try {
            JSON.readTree(body);
            throw new AssertionError("parsed: " + body);
        } catch (JsonProcessingException e) {
            return JsonProblems.describe(e);
        }
    }
}
