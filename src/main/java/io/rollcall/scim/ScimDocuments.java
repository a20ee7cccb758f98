package io.rollcall.scim;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.rollcall.service.ETags;
import io.rollcall.store.StoredResource;

/**
 * What every stored SCIM resource shares on the way out: its JSON document parsed, and the representation's frame —
 * {@code schemas} and {@code id} first, the document's attributes, {@code meta} (RFC 7643 §3.1) last.
 */
final class ScimDocuments {

    private ScimDocuments() {
    }

    static ObjectNode parse(String json) {
        JsonNode node = tree(json);
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalStateException("A stored SCIM document is not a JSON object");
        }
        return object;
    }

    static JsonNode tree(String json) {
        try {
            return ScimJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("A stored SCIM document is not JSON", e);
        }
    }

    /** {@code schemas}, {@code id}, then the stored attributes; the caller adds computed ones, then {@link #meta}. */
    static ObjectNode frame(StoredResource stored) {
        ObjectNode document = parse(stored.data());
        ObjectNode out = ScimJson.MAPPER.createObjectNode();
        out.set("schemas", document.remove("schemas"));
        out.put("id", stored.id().toString());
        out.setAll(document);
        return out;
    }

    static void meta(ObjectNode out, StoredResource stored, String resourceType, ScimLocations locations, String endpoint) {
        ObjectNode meta = out.putObject("meta");
        meta.put("resourceType", resourceType);
        meta.put("created", stored.created().toString());
        meta.put("lastModified", stored.lastModified().toString());
        meta.put("location", locations.of(endpoint, stored.id().toString()).toString());
        meta.put("version", ETags.etag(stored.version()));
    }

    /** {@link #meta} as a representation written without a tree writes it. */
    static void writeMeta(JsonGenerator out, StoredResource stored, String resourceType, ScimLocations locations,
            String endpoint) throws IOException {
        out.writeObjectFieldStart("meta");
        out.writeStringField("resourceType", resourceType);
        out.writeStringField("created", stored.created().toString());
        out.writeStringField("lastModified", stored.lastModified().toString());
        out.writeStringField("location", locations.href(endpoint, stored.id().toString()));
        out.writeStringField("version", ETags.etag(stored.version()));
        out.writeEndObject();
    }

    /** A string attribute of a document, or null when absent or null. */
    static String text(ObjectNode document, String field) {
        JsonNode value = document.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
