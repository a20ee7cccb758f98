package io.rollcall.http;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says what is wrong with a JSON body in the client's terms (field names, line and column), never in ours (Java class
 * names, which Jackson's own messages contain).
 */
public final class JsonProblems {

    private static final Pattern UNRECOGNIZED_TOKEN = Pattern.compile("^Unrecognized token '.*':", Pattern.DOTALL);

    private JsonProblems() {
    }

    public static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? ""
                    : "; known fields: " + unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
                            .collect(Collectors.joining(", "));
            return "Unknown field '" + unknown.getPropertyName() + "'" + known;
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return "Field '" + path(mismatch) + "' has the wrong type or shape" + location(e);
        }
        if (e instanceof JsonMappingException) {
            return "The body does not have the expected shape" + location(e);
        }
        return "The body is not valid JSON: " + withoutToken(e.getOriginalMessage()) + location(e);
    }

    /**
     * Jackson quotes the unrecognised token, which may be a secret sent without quotes (a password): the location
     * says where it is, the detail (returned, and logged) does not repeat it.
     */
    private static String withoutToken(String message) {
        return message == null ? "" : UNRECOGNIZED_TOKEN.matcher(message).replaceFirst("Unrecognized token:");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String location(JsonProcessingException e) {
        // a value bound after parsing (a tree converted to a request object) has no place in the text: -1
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
