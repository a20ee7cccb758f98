package io.rollcall.scim;


import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.rollcall.service.EffectiveAccess;
import io.rollcall.service.UserWrite;
import io.rollcall.store.BindingRow;
import io.rollcall.store.StoredResource;

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
        ObjectNode out = ScimDocuments.frame(stored);
        JsonNode computed = stored.related() == null ? null : ScimDocuments.tree(stored.related());
        if (computed != null && computed.path("groups").isArray()) {
            ArrayNode array = out.putArray("groups");
            for (JsonNode group : computed.get("groups")) {
                String id = group.path("id").asText();
                array.addObject()
                        .put("value", id)
                        .put("$ref", locations.of(GroupDocuments.ENDPOINT, id).toString())
                        .put("display", group.path("display").asText())
                        .put("type", group.path("direct").asBoolean() ? "direct" : "indirect");
            }
        }
        if (computed != null && computed.path("roles").isArray()) {
            ArrayNode array = out.putArray(RoleValues.ATTRIBUTE);
            for (JsonNode role : computed.get("roles")) {
                array.addObject().put("value", role.path("value").asText()).put("display", role.path("display").asText())
                        .put("type", role.path("source").asText());
            }
        }
        ScimDocuments.meta(out, stored, RESOURCE_TYPE, locations, ENDPOINT);
        return out;
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
