package io.rollcall.scim;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.rollcall.service.UserWrite;
import io.rollcall.service.Versions;
import io.rollcall.store.StoredResource;

/**
 * Between the wire and the store for Users: a validated document becomes a {@link UserWrite}; a stored one becomes the
 * full representation with {@code id}, the computed {@code groups} (RFC 7643 §4.1.2: direct and indirect, read-only)
 * and {@code meta} (RFC 7643 §3.1).
 */
public final class UserDocuments {

    public static final String RESOURCE_TYPE = "User";
    public static final String ENDPOINT = "/Users";

    private UserDocuments() {
    }

    /** A user without {@code active} is active: the attribute is set so that the document says what filters see. */
    public static UserWrite toWrite(ResourceValidator.Validated validated) throws BadRequestException {
        ObjectNode document = validated.document();
        if (!document.has("active")) {
            document.put("active", true);
        }
        JsonNode password = validated.writeOnly().get("password");
        return new UserWrite(document.path("userName").asText(), text(document, "externalId"),
                text(document, "displayName"), document.path("active").asBoolean(true), document.toString(),
                password == null ? null : password.asText());
    }

    public static ObjectNode parse(String data) {
        try {
            return (ObjectNode) ScimJson.MAPPER.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException("Stored user document is not JSON", e);
        }
    }

    /** The representation; {@code groups} come from {@link StoredResource#related()} when it was read. */
    public static ObjectNode render(StoredResource stored, ScimLocations locations) {
        ObjectNode document = parse(stored.data());
        ObjectNode out = ScimJson.MAPPER.createObjectNode();
        out.set("schemas", document.remove("schemas"));
        out.put("id", stored.id().toString());
        out.setAll(document);
        if (stored.related() != null) {
            ArrayNode array = out.putArray("groups");
            for (JsonNode group : parseArray(stored.related())) {
                String id = group.path("id").asText();
                array.addObject()
                        .put("value", id)
                        .put("$ref", locations.of(GroupDocuments.ENDPOINT, id).toString())
                        .put("display", group.path("display").asText())
                        .put("type", group.path("direct").asBoolean() ? "direct" : "indirect");
            }
        }
        out.set("meta", meta(stored, RESOURCE_TYPE, locations.of(ENDPOINT, stored.id().toString()).toString()));
        return out;
    }

    private static JsonNode parseArray(String json) {
        try {
            return ScimJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("Stored groups are not JSON", e);
        }
    }

    static ObjectNode meta(StoredResource stored, String resourceType, String location) {
        ObjectNode meta = ScimJson.MAPPER.createObjectNode();
        meta.put("resourceType", resourceType);
        meta.put("created", stored.created().toString());
        meta.put("lastModified", stored.lastModified().toString());
        meta.put("location", location);
        meta.put("version", Versions.etag(stored.version()));
        return meta;
    }

    private static String text(ObjectNode document, String field) {
        JsonNode value = document.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
