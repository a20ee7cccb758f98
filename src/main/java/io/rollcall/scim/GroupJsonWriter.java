package io.rollcall.scim;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.rollcall.store.MemberRef;
import io.rollcall.store.StoredResource;

/**
 * A group's full representation written as JSON while its members are read, straight from the stored document and the
 * membership rows (no tree): {@code schemas}, {@code id}, the document's attributes, {@code members}, the access
 * extension's roles (from {@link StoredResource#related()}; its URN joins {@code schemas}), {@code meta}. A group of
 * 100,000 members is ~15 MB of JSON; as trees it took ~100 MB and failed on an 80 MiB heap.
 */
final class GroupJsonWriter {

    private final StoredResource stored;
    private final ScimLocations locations;
    private final JsonNode roles;
    private final RawJson.Output bytes;
    private final JsonGenerator out;
    private boolean members;

    /** Writes everything before the members. */
    GroupJsonWriter(StoredResource stored, ScimLocations locations) {
        this.stored = stored;
        this.locations = locations;
        JsonNode related = stored.related() == null ? null : ScimDocuments.tree(stored.related()).get("roles");
        this.roles = related != null && related.isArray() ? related : null;
        this.bytes = RawJson.output();
        try {
            this.out = ScimJson.MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8);
            StoredFields fields = StoredFields.of(stored.data());
            out.writeStartObject();
            out.writeArrayFieldStart("schemas");
            String schemas = fields.raw("schemas");
            if (schemas != null) {
                for (JsonNode schema : ScimDocuments.tree(schemas)) {
                    out.writeString(schema.asText());
                }
            }
            if (roles != null) {
                out.writeString(GroupDocuments.ACCESS);
            }
            out.writeEndArray();
            out.writeStringField("id", stored.id().toString());
            fields.writeAllBut(out, "schemas");
        } catch (IOException e) {
            throw new UncheckedIOException("A stored SCIM document is not JSON", e);
        }
    }

    void member(MemberRef member) {
        try {
            if (!members) {
                out.writeArrayFieldStart("members");
                members = true;
            }
            String id = member.id().toString();
            out.writeStartObject();
            out.writeStringField("value", id);
            out.writeStringField("$ref", locations.href(member.type().equals(MemberRef.USER) ? UserDocuments.ENDPOINT
                    : GroupDocuments.ENDPOINT, id));
            if (member.display() != null) {
                out.writeStringField("display", member.display());
            }
            out.writeStringField("type", member.type());
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes what follows the members; the representation. */
    RawJson finish() {
        try {
            if (members) {
                out.writeEndArray();
            }
            if (roles != null) {
                out.writeObjectFieldStart(GroupDocuments.ACCESS);
                out.writeArrayFieldStart(RoleValues.ATTRIBUTE);
                for (JsonNode role : roles) {
                    out.writeStartObject();
                    out.writeStringField("value", role.path("value").asText());
                    out.writeStringField("display", role.path("display").asText());
                    out.writeStringField("type", role.path("source").asText());
                    out.writeEndObject();
                }
                out.writeEndArray();
                out.writeEndObject();
            }
            ScimDocuments.writeMeta(out, stored, GroupDocuments.RESOURCE_TYPE, locations, GroupDocuments.ENDPOINT);
            out.writeEndObject();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.json();
    }
}
