package io.rollcall.scim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.rollcall.service.GroupWrite;
import io.rollcall.service.GroupMemberChange;
import io.rollcall.resource.Ids;
import io.rollcall.store.GroupMember;
import io.rollcall.store.StoredResource;

/**
 * Between the wire and the store for Groups: {@code members} are split off the document (they live in their own table)
 * and come back, with {@code display} and {@code $ref}, only when the response shows them.
 */
public final class GroupDocuments {

    public static final String ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Group";
    public static final String RESOURCE_TYPE = "Group";
    public static final String ENDPOINT = "/Groups";

    private GroupDocuments() {
    }

    public static GroupWrite toWrite(ResourceValidator.Validated validated, List<String> roles) throws BadRequestException {
        ObjectNode document = validated.document();
        JsonNode members = document.remove("members");
        document.remove(ACCESS);
        if (document.get("schemas") instanceof ArrayNode schemas) {
            // the group's roles are bindings, not part of the document; its representation lists the URN with them
            for (int i = schemas.size() - 1; i >= 0; i--) {
                if (schemas.get(i).asText().equalsIgnoreCase(ACCESS)) {
                    schemas.remove(i);
                }
            }
        }
        return new GroupWrite(document.path("displayName").asText(), ScimDocuments.text(document, "externalId"), document.toString(),
                members(members), roles);
    }

    /**
     * The role references of a request's access extension, or null when it has none (its roles stay as they are).
     * The extension's {@code roles} are normalized in place first (plain strings become objects), so call this before
     * validating the body.
     */
    public static List<String> roles(ObjectNode body) throws BadRequestException {
        JsonNode access = null;
        for (var names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (name.equalsIgnoreCase(ACCESS)) {
                access = body.get(name);
            }
        }
        if (!(access instanceof ObjectNode object) || !object.has(RoleValues.ATTRIBUTE)) {
            return null;
        }
        RoleValues.normalize(object);
        return RoleValues.references(object);
    }

    /** The members a request names: objects with {@code value} (a user or group id) and optionally {@code type}. */
    public static List<GroupMemberChange.Member> members(JsonNode value) throws BadRequestException {
        List<GroupMemberChange.Member> members = new ArrayList<>();
        if (value == null || value.isNull()) {
            return members;
        }
        if (value.isObject()) {
            members.add(member(value));
            return members;
        }
        if (!value.isArray()) {
            throw BadRequestException.invalidValue("'members' must be an array of {\"value\": \"<id>\"} objects");
        }
        for (JsonNode element : value) {
            members.add(member(element));
        }
        return members;
    }

    private static GroupMemberChange.Member member(JsonNode element) throws BadRequestException {
        JsonNode id = element.isObject() ? field(element, "value") : element;
        if (id == null || !id.isTextual()) {
            throw BadRequestException.invalidValue("Each member needs a 'value' with the id of a user or group");
        }
        JsonNode type = element.isObject() ? field(element, "type") : null;
        String typeName = type == null || type.isNull() ? null : type.asText();
        if (typeName != null && !typeName.equalsIgnoreCase(GroupMember.USER) && !typeName.equalsIgnoreCase(GroupMember.GROUP)) {
            throw BadRequestException.invalidValue("Member type '" + typeName + "' must be User or Group");
        }
        return new GroupMemberChange.Member(uuid(id.textValue()),
                typeName == null ? null : typeName.equalsIgnoreCase(GroupMember.USER) ? GroupMember.USER : GroupMember.GROUP);
    }

    static UUID uuid(String id) throws BadRequestException {
        return Ids.parse(id).orElseThrow(() -> BadRequestException.invalidValue("Member '" + id + "' is not a user or "
                + "group id of this organization"));
    }

    /**
     * The representation as a tree (to project it): what {@link GroupJsonWriter} writes, parsed.
     *
     * @param members null when the response will not show {@code members} (then they are not read at all)
     */
    public static ObjectNode render(StoredResource stored, List<GroupMember> members, ScimLocations locations) {
        GroupJsonWriter writer = new GroupJsonWriter(stored, locations);
        if (members != null) {
            members.forEach(writer::member);
        }
        return ScimDocuments.parse(new String(writer.finish(), StandardCharsets.UTF_8));
    }

    private static JsonNode field(JsonNode node, String name) {
        for (var fields = node.fields(); fields.hasNext();) {
            var field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }
}
