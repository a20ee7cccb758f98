package io.rollcall.scim;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;

/**
 * A representation already written as JSON text, serialised as it is: a list page of users is written straight from
 * the stored documents ({@link UserDocuments#json}) rather than built as a tree and written again.
 */
public record RawJson(String json) implements JsonSerializable {

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider serializers) throws IOException {
        generator.writeRawValue(json);
    }

    @Override
    public void serializeWithType(JsonGenerator generator, SerializerProvider serializers, TypeSerializer typeSerializer)
            throws IOException {
        serialize(generator, serializers);
    }
}
