package io.rollcall.scim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.rollcall.store.GroupMember;
import io.rollcall.store.StoredResource;
import io.smallrye.mutiny.Multi;

/**
 * A group's full representation written as JSON while its members are read, straight from the stored document and the
 * membership rows (no tree): {@code schemas}, {@code id}, the document's attributes, {@code members}, the access
 * extension's roles (from {@link StoredResource#related()}; its URN joins {@code schemas}), {@code meta}. A group of
 * 100,000 members is ~17 MB of JSON; as trees it took ~100 MB and failed on an 80 MiB heap. Responses take what is
 * written piece by piece ({@link #pieces}), so not even the JSON is held whole.
 */
final class GroupJsonWriter {

    private final StoredResource stored;
    private final ScimLocations locations;
    private final JsonNode roles;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    private final JsonGenerator out;
    private boolean members;

    /** Writes everything before the members. */
    GroupJsonWriter(StoredResource stored, ScimLocations locations) {
        this.stored = stored;
        this.locations = locations;
        JsonNode related = stored.related() == null ? null : ScimDocuments.tree(stored.related()).get("roles");
        this.roles = related != null && related.isArray() ? related : null;
        try {
            this.out = ScimJson.MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8);
            StoredFields fields = StoredFields.of(stored.data());
            out.writeStartObject();
            out.writeArrayFieldStart("schemas");
            String schemas = fields.raw("schemas");
            if (schemas != null) {
                for (JsonNode schema : ScimDocuments.tree(schemas)) {
                    // the access extension is listed when the group has roles (below), whatever was stored
                    if (!schema.asText().equalsIgnoreCase(GroupDocuments.ACCESS)) {
                        out.writeString(schema.asText());
                    }
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

    void member(GroupMember member) {
        try {
            if (!members) {
                out.writeArrayFieldStart("members");
                members = true;
            }
            String id = member.id().toString();
            out.writeStartObject();
            out.writeStringField("value", id);
            out.writeStringField("$ref", locations.href(member.type().equals(GroupMember.USER) ? UserDocuments.ENDPOINT
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

    /**
     * The representation as pieces for a {@link JsonStream}: the document with the first batch of members, then one
     * piece per further batch, then the rest. Nothing is written (and no batch read) before the stream is subscribed.
     */
    static Multi<byte[]> pieces(StoredResource stored, ScimLocations locations, Multi<List<GroupMember>> memberBatches) {
        return Multi.createFrom().deferred(() -> {
            GroupJsonWriter writer = new GroupJsonWriter(stored, locations);
            return memberBatches.map(batch -> {
                batch.forEach(writer::member);
                return writer.written();
            }).onCompletion().continueWith(() -> List.of(writer.finish()));
        });
    }

    /** What has been written since the last call. */
    private byte[] written() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] piece = bytes.toByteArray();
        bytes.reset();
        return piece;
    }

    /** Writes what follows the members; returns what has been written since {@link #written()} last took it. */
    byte[] finish() {
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
        return bytes.toByteArray();
    }
}
