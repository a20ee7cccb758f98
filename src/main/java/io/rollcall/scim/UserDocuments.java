package io.rollcall.scim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.rollcall.service.EffectiveAccess;
import io.rollcall.service.UserWrite;
import io.rollcall.store.BindingRow;
import io.rollcall.store.StoredResource;
import io.rollcall.store.UserRelations;
import io.rollcall.store.UserView;

/**
 * Between the wire and the store for Users: a validated document becomes a {@link UserWrite}; a stored one becomes the
 * full representation with {@code id}, the computed {@code groups} (RFC 7643 §4.1.2: direct and indirect, read-only)
 * and {@code meta} (RFC 7643 §3.1).
 */
public final class UserDocuments {

    public static final String RESOURCE_TYPE = "User";
    public static final String ENDPOINT = "/Users";
    public static final String ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:User";
    /** The access extension's attributes, computed only when a request asks for them (returned: request). */
    static final List<String> ACCESS_ATTRIBUTES = List.of(ACCESS + ":effectiveRoles", ACCESS + ":effectivePermissions");

    private static final SerializedString GROUPS = new SerializedString("groups");
    private static final SerializedString ROLES = new SerializedString(RoleValues.ATTRIBUTE);
    private static final SerializedString REF = new SerializedString("$ref");

    private UserDocuments() {
    }

    /**
     * A user without {@code active} is active: the attribute is set so that the document says what filters see.
     * {@code roles} leave the document: they are role bindings (see {@link UserWrite#roles()}).
     *
     * @param roles the role references the request asserts ({@link RoleValues#references}, read before validation,
     *              which drops an empty list), or null when it leaves them alone
     */
    public static UserWrite toWrite(ResourceValidator.Validated validated, List<String> roles) {
        ObjectNode document = validated.document();
        if (!document.has("active")) {
            document.put("active", true);
        }
        document.remove(RoleValues.ATTRIBUTE);
        JsonNode password = validated.writeOnly().get("password");
        return new UserWrite(document.path("userName").asText(), ScimDocuments.text(document, "externalId"),
                ScimDocuments.text(document, "displayName"), document.path("active").asBoolean(true), document.toString(),
                password == null ? null : password.asText(), roles);
    }

    /**
     * The representation; {@code groups} and {@code roles} come from {@link StoredResource#related()} when they were
     * read. A role's {@code type} says where its binding came from: {@code scim}, {@code local} or {@code system}.
     */
    public static ObjectNode render(StoredResource stored, ScimLocations locations) {
        return render(UserView.of(stored), locations);
    }

    public static ObjectNode render(UserView user, ScimLocations locations) {
        try {
            return (ObjectNode) ScimJson.MAPPER.readTree(json(user, locations).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("A user's representation is not JSON", e);
        }
    }

    /**
     * The full representation as JSON, written straight from the stored document (never parsed into a tree) when the
     * answer is written: {@code schemas}, {@code id}, the document's attributes, {@code groups}, {@code roles}, then
     * {@code meta}.
     */
    public static DirectJson json(UserView user, ScimLocations locations) {
        return json(user, locations, field -> true);
    }

    /**
     * {@link #json(UserView, ScimLocations)} with only the top-level fields {@code shown} accepts: a projection by whole
     * attributes ({@link AttributeProjection#byTopLevelNames}) written without a tree.
     */
    static DirectJson json(UserView user, ScimLocations locations, Predicate<String> shown) {
        // read now, in the endpoint: a document that cannot be read fails the request before anything is sent
        StoredFields fields = StoredFields.of(user.stored().data());
        return new DirectJson(out -> write(out, user, fields, locations, shown));
    }

    private static void write(JsonGenerator out, UserView user, StoredFields fields, ScimLocations locations,
            Predicate<String> shown) throws IOException {
        StoredResource stored = user.stored();
        out.writeStartObject();
        fields.write(out, "schemas");
        out.writeFieldName(ScimDocuments.ID);
        PlainText.write(out, stored.id().toString());
        fields.writeAllBut(out, "schemas", shown);
        List<UserRelations.Group> groups = user.relations().groups();
        if (groups != null && !groups.isEmpty() && shown.test("groups")) {
            out.writeFieldName(GROUPS);
            out.writeStartArray();
            for (UserRelations.Group group : groups) {
                out.writeStartObject();
                out.writeFieldName(ScimDocuments.VALUE);
                PlainText.write(out, group.id().toString());
                out.writeFieldName(REF);
                locations.write(out, GroupDocuments.ENDPOINT, group.id());
                out.writeFieldName(ScimDocuments.DISPLAY);
                out.writeString(group.display());
                out.writeFieldName(ScimDocuments.TYPE);
                out.writeString(group.direct() ? "direct" : "indirect");
                out.writeEndObject();
            }
            out.writeEndArray();
        }
        List<UserRelations.Role> roles = user.relations().roles();
        if (roles != null && !roles.isEmpty() && shown.test(RoleValues.ATTRIBUTE)) {
            out.writeFieldName(ROLES);
            out.writeStartArray();
            for (UserRelations.Role role : roles) {
                out.writeStartObject();
                out.writeFieldName(ScimDocuments.VALUE);
                out.writeString(role.value());
                out.writeFieldName(ScimDocuments.DISPLAY);
                out.writeString(role.display());
                out.writeFieldName(ScimDocuments.TYPE);
                out.writeString(role.source());
                out.writeEndObject();
            }
            out.writeEndArray();
        }
        if (shown.test("meta")) {
            ScimDocuments.writeMeta(out, stored, RESOURCE_TYPE, locations, ENDPOINT);
        }
        out.writeEndObject();
    }

    /** The access extension: every binding reaching the user (direct or via a group) and its permissions per workspace. */
    static void renderAccess(ObjectNode out, EffectiveAccess effective) {
        ObjectNode access = out.putObject(ACCESS);
        ArrayNode roles = access.putArray("effectiveRoles");
        for (BindingRow binding : effective.bindings()) {
            ObjectNode role = roles.addObject().put("value", binding.reference()).put("display", binding.roleName());
            if (binding.workspaceName() != null) {
                role.put("workspace", binding.workspaceName());
            }
            role.put("source", binding.source());
            boolean viaGroup = binding.principalKind().equals("group");
            role.put("via", viaGroup ? binding.principalId().toString() : "direct");
            if (viaGroup) {
                role.put("viaDisplay", binding.groupDisplay());
            }
        }
        ArrayNode permissions = access.putArray("effectivePermissions");
        effective.permissionsByWorkspace().forEach((workspace, keys) -> {
            ArrayNode array = permissions.addObject().put("workspace", workspace).putArray("permissions");
            keys.forEach(array::add);
        });
        if (out.get("schemas") instanceof ArrayNode schemas) {
            boolean listed = false;
            for (JsonNode schema : schemas) {
                listed |= schema.asText().equals(ACCESS);
            }
            if (!listed) {
                schemas.add(ACCESS);
            }
        }
    }
}
