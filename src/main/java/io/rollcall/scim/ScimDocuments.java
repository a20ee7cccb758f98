package io.rollcall.scim;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.rollcall.service.ETags;
import io.rollcall.store.StoredResource;

/**
 * What every stored SCIM resource shares on the way out: its JSON document parsed, and the representation's frame —
 * {@code schemas} and {@code id} first, the document's attributes, {@code meta} (RFC 7643 §3.1) last.
 */
final class ScimDocuments {

    /** Names of the representation's fields that written representations share, encoded once. */
    static final SerializedString ID = new SerializedString("id");
    static final SerializedString VALUE = new SerializedString("value");
    static final SerializedString DISPLAY = new SerializedString("display");
    static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString META = new SerializedString("meta");
    private static final SerializedString RESOURCE_TYPE = new SerializedString("resourceType");
    private static final SerializedString CREATED = new SerializedString("created");
    private static final SerializedString LAST_MODIFIED = new SerializedString("lastModified");
    private static final SerializedString LOCATION = new SerializedString("location");
    private static final SerializedString VERSION = new SerializedString("version");

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
        meta.put("created", InstantText.of(stored.created()));
        meta.put("lastModified", InstantText.of(stored.lastModified()));
        meta.put("location", locations.of(endpoint, stored.id().toString()).toString());
        meta.put("version", ETags.etag(stored.version()));
    }

    /** {@link #meta} as a representation written without a tree writes it. */
    static void writeMeta(JsonGenerator out, StoredResource stored, String resourceType, ScimLocations locations,
            String endpoint) throws IOException {
        out.writeFieldName(META);
        out.writeStartObject();
        out.writeFieldName(RESOURCE_TYPE);
        out.writeString(resourceType);
        out.writeFieldName(CREATED);
        PlainText.write(out, InstantText.of(stored.created()));
        out.writeFieldName(LAST_MODIFIED);
        PlainText.write(out, InstantText.of(stored.lastModified()));
        out.writeFieldName(LOCATION);
        locations.write(out, endpoint, stored.id());
        out.writeFieldName(VERSION);
        out.writeString(ETags.etag(stored.version()));
        out.writeEndObject();
    }

    /** A string attribute of a document, or null when absent or null. */
    static String text(ObjectNode document, String field) {
        JsonNode value = document.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
