package io.rollcall.scim;


import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.rollcall.service.UserWrite;
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

    /**
     * A user without {@code active} is active: the attribute is set so that the document says what filters see.
     * {@code roles} leave the document: they are role bindings (see {@link UserWrite#roles()}).
     *
     * @param absentRolesMeanNone true for a patch, whose document had the roles before it ran: without {@code roles}
     *                            afterwards, it removed them all; false for a create or replace, where leaving
     *                            {@code roles} out leaves them alone
     */
    public static UserWrite toWrite(ResourceValidator.Validated validated, boolean absentRolesMeanNone)
            throws BadRequestException {
        ObjectNode document = validated.document();
        if (!document.has("active")) {
            document.put("active", true);
        }
        List<String> roles = RoleValues.references(document);
        document.remove(RoleValues.ATTRIBUTE);
        if (roles == null && absentRolesMeanNone) {
            roles = List.of();
        }
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
}
