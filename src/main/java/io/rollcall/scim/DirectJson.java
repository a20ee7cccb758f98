package io.rollcall.scim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;

/**
 * A representation that writes itself into the generator of the answer it is part of, when that answer is written:
 * a user of a list page goes from its stored document straight into the page's output ({@link UserDocuments#json}),
 * with no tree, no buffer of its own and no copy.
 */
public final class DirectJson implements JsonSerializable {

    /** Writes one JSON value. */
    @FunctionalInterface
    interface Writing {
        void to(JsonGenerator out) throws IOException;
    }

    private final Writing writing;

    DirectJson(Writing writing) {
        this.writing = writing;
    }

    /**
     * Writes the representation as the whole of {@code out}'s content (a response body of its own). The generator is
     * closed only when the writing succeeded: closing it on a failure would complete the open object and send a
     * truncated representation as if it were whole.
     */
    void writeTo(OutputStream out) throws IOException {
        JsonGenerator generator = ScimJson.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
        writing.to(generator);
        generator.close();
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider serializers) throws IOException {
        writing.to(generator);
    }

    @Override
    public void serializeWithType(JsonGenerator generator, SerializerProvider serializers, TypeSerializer typeSerializer)
            throws IOException {
        serialize(generator, serializers);
    }

    @Override
    public String toString() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
