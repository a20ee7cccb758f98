package io.rollcall.scim;


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

    /** A user without {@code active} is active: the attribute is set so that the document says what filters see. */
    public static UserWrite toWrite(ResourceValidator.Validated validated) throws BadRequestException {
        ObjectNode document = validated.document();
        if (!document.has("active")) {
            document.put("active", true);
        }
        JsonNode password = validated.writeOnly().get("password");
        return new UserWrite(document.path("userName").asText(), ScimDocuments.text(document, "externalId"),
                ScimDocuments.text(document, "displayName"), document.path("active").asBoolean(true), document.toString(),
                password == null ? null : password.asText());
    }

    /** The representation; {@code groups} come from {@link StoredResource#related()} when it was read. */
    public static ObjectNode render(StoredResource stored, ScimLocations locations) {
        ObjectNode out = ScimDocuments.frame(stored);
        if (stored.related() != null) {
            ArrayNode array = out.putArray("groups");
            for (JsonNode group : ScimDocuments.tree(stored.related())) {
                String id = group.path("id").asText();
                array.addObject()
                        .put("value", id)
                        .put("$ref", locations.of(GroupDocuments.ENDPOINT, id).toString())
                        .put("display", group.path("display").asText())
                        .put("type", group.path("direct").asBoolean() ? "direct" : "indirect");
            }
        }
        ScimDocuments.meta(out, stored, RESOURCE_TYPE, locations, ENDPOINT);
        return out;
    }
}
