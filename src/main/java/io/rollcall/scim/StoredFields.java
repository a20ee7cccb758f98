package io.rollcall.scim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The top-level attributes of a stored document, found in one pass, each kept as the span of the document's text
 * that holds its value (PostgreSQL's rendering of the {@code jsonb}, valid JSON), to be copied as it is.
 */
final class StoredFields {

    private final String document;
    private final List<String> names;
    private final int[] spans;

    private StoredFields(String document, List<String> names, int[] spans) {
        this.document = document;
        this.names = names;
        this.spans = spans;
    }

    /**
     * Finds the document's top-level attributes by scanning its text: strings are skipped whole (escapes included) and
     * arrays and objects by counting brackets, nothing is decoded but a name with an escape in it. This is a third of
     * what a JSON parser's tokens cost (~18 % of a page of users' server time) and suffices for what PostgreSQL writes
     * of a {@code jsonb}: valid JSON, an object at the top.
     *
     * @throws IllegalStateException when the document is not a JSON object
     */
    static StoredFields of(String document) {
        List<String> names = new ArrayList<>();
        int[] spans = new int[32];
        int at = expect(document, space(document, 0), '{');
        at = space(document, at);
        if (at < document.length() && document.charAt(at) == '}') {
            return new StoredFields(document, names, spans);
        }
        while (true) {
            int nameStart = at;
            int nameEnd = endOfString(document, at);
            names.add(name(document, nameStart, nameEnd));
            int start = space(document, expect(document, space(document, nameEnd), ':'));
            int end = endOfValue(document, start);
            if (spans.length < 2 * names.size()) {
                spans = Arrays.copyOf(spans, spans.length * 2);
            }
            spans[2 * names.size() - 2] = start;
            spans[2 * names.size() - 1] = end;
            at = space(document, end);
            if (at < document.length() && document.charAt(at) == ',') {
                at = space(document, at + 1);
            } else {
                expect(document, at, '}');
                return new StoredFields(document, names, spans);
            }
        }
    }

    private static int space(String text, int at) {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            at++;
        }
        return at;
    }

    /** @return the position after {@code c}, found at {@code at} */
    private static int expect(String text, int at, char c) {
        if (at >= text.length() || text.charAt(at) != c) {
            throw notAnObject();
        }
        return at + 1;
    }

    /**
     * @return the position after the string starting with its quote at {@code at}; the closing quote is the first one
     *         after an even number of backslashes, found with {@link String#indexOf(int, int)} (vectorised), as most of
     *         a document's text is in strings
     */
    private static int endOfString(String text, int at) {
        expect(text, at, '"');
        int from = at + 1;
        while (true) {
            int quote = text.indexOf('"', from);
            if (quote < 0) {
                throw notAnObject();
            }
            int backslash = quote - 1;
            while (backslash > at && text.charAt(backslash) == '\\') {
                backslash--;
            }
            if ((quote - 1 - backslash) % 2 == 0) {
                return quote + 1;
            }
            from = quote + 1;
        }
    }

    /** @return the position after the value starting at {@code at} */
    private static int endOfValue(String text, int at) {
        if (at >= text.length()) {
            throw notAnObject();
        }
        char first = text.charAt(at);
        if (first == '"') {
            return endOfString(text, at);
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            for (int i = at; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    i = endOfString(text, i) - 1;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if ((c == '}' || c == ']') && --depth == 0) {
                    return i + 1;
                }
            }
            throw notAnObject();
        }
        int end = at;
        while (end < text.length() && ",}] \n\r\t".indexOf(text.charAt(end)) < 0) {
            end++;
        }
        if (end == at) {
            throw notAnObject();
        }
        return end;
    }

    /** The name whose quoted text lies between {@code start} and {@code end}, unescaped if it needs to be. */
    private static String name(String text, int start, int end) {
        String name = text.substring(start + 1, end - 1);
        if (name.indexOf('\\') < 0) {
            return name;
        }
        try {
            return ScimJson.MAPPER.readValue(text.substring(start, end), String.class);
        } catch (IOException e) {
            throw notAnObject();
        }
    }

    private static IllegalStateException notAnObject() {
        return new IllegalStateException("A stored SCIM document is not a JSON object");
    }

    /** The attribute's value as the document has it, or null. */
    String raw(String name) {
        int index = names.indexOf(name);
        return index < 0 ? null : document.substring(spans[2 * index], spans[2 * index + 1]);
    }

    void write(JsonGenerator out, String name) throws IOException {
        int index = names.indexOf(name);
        if (index >= 0) {
            writeField(out, index);
        }
    }

    void writeAllBut(JsonGenerator out, String name) throws IOException {
        writeAllBut(out, name, field -> true);
    }

    /** Every field but {@code name} that {@code shown} accepts. */
    void writeAllBut(JsonGenerator out, String name, java.util.function.Predicate<String> shown) throws IOException {
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals(name) && shown.test(names.get(i))) {
                writeField(out, i);
            }
        }
    }

    private void writeField(JsonGenerator out, int index) throws IOException {
        out.writeFieldName(names.get(index));
        out.writeRawValue(document, spans[2 * index], spans[2 * index + 1] - spans[2 * index]);
    }
}
