package io.rollcall.scim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

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

    static StoredFields of(String document) throws IOException {
        List<String> names = new ArrayList<>();
        int[] spans = new int[32];
        try (JsonParser in = ScimJson.MAPPER.getFactory().createParser(document)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("A stored SCIM document is not a JSON object");
            }
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                names.add(in.currentName());
                JsonToken value = in.nextToken();
                int start = (int) in.currentTokenLocation().getCharOffset();
                if (value.isStructStart()) {
                    in.skipChildren();
                } else {
                    in.finishToken();
                }
                int end = (int) in.currentLocation().getCharOffset();
                if (spans.length < 2 * names.size()) {
                    spans = Arrays.copyOf(spans, spans.length * 2);
                }
                spans[2 * names.size() - 2] = start;
                spans[2 * names.size() - 1] = end;
            }
        }
        return new StoredFields(document, names, spans);
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
