package io.rollcall.scim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.types.SchemaResource;

/**
 * RFC 7644 §3.5.1: a replace may not change an {@code immutable} attribute the resource has ("mutability"), whether it
 * is checked while validating (a user's PUT, every PATCH) or once the stored document is read (a group's PUT, validated
 * before the group is locked). No shipped Group attribute is immutable at the top level, so a schema that makes
 * displayName immutable stands in for one that does.
 */
class ResourceValidatorTest {

    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String ROLE_ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";

    @Test
    void rfc7644_3_5_1_aGroupPutChangingAnImmutableAttributeIsRefusedOnceTheStoredGroupIsRead() throws Exception {
        ObjectNode schema = (ObjectNode) read("Group.json");
        ((ObjectNode) schema.get("attributes").get(0)).put("mutability", "immutable");
        ResourceValidator validator = new ResourceValidator(new ResourceSchema("Group",
                ScimJson.MAPPER.treeToValue(schema, SchemaResource.class), List.of()));
        ObjectNode renamed = validator.validate(group("Renamed"), null).document();
        ObjectNode stored = validator.validate(group("Engineering"), null).document();

        BadRequestException refused = assertThrows(BadRequestException.class,
                () -> validator.checkImmutable(renamed, stored));
        assertEquals("mutability", refused.getScimError().getScimType());
        assertTrue(refused.getMessage().contains("'displayName' is immutable"), refused.getMessage());
        assertDoesNotThrow(() -> validator.checkImmutable(stored.deepCopy(), stored));
    }

    @Test
    void rfc7644_3_5_1_anImmutableExtensionAttributeIsStillCheckedWhileValidatingAgainstTheStoredDocument()
            throws Exception {
        ResourceValidator validator = new ResourceValidator(new ResourceSchema("Role",
                ScimJson.MAPPER.treeToValue(read("Role.json"), SchemaResource.class),
                List.of(ScimJson.MAPPER.treeToValue(read("RoleAccess.json"), SchemaResource.class))));
        ObjectNode stored = role("reviewer");
        BadRequestException refused = assertThrows(BadRequestException.class,
                () -> validator.validate(role("approver"), stored));
        assertEquals("mutability", refused.getScimError().getScimType());
        assertTrue(refused.getMessage().contains(ROLE_ACCESS + ":value' is immutable"), refused.getMessage());
        assertDoesNotThrow(() -> validator.validate(role("reviewer"), stored));
    }

    private static ObjectNode group(String displayName) {
        ObjectNode group = ScimJson.MAPPER.createObjectNode();
        group.putArray("schemas").add(GROUP);
        group.put("displayName", displayName);
        return group;
    }

    private static ObjectNode role(String value) {
        ObjectNode role = ScimJson.MAPPER.createObjectNode();
        role.putArray("schemas").add("urn:okta:scim:schemas:core:1.0:Role").add(ROLE_ACCESS);
        role.put("displayName", "Reviewer");
        role.putObject(ROLE_ACCESS).put("value", value);
        return role;
    }

    private static JsonNode read(String file) throws IOException {
        try (InputStream in = ResourceValidatorTest.class.getClassLoader().getResourceAsStream("scim-schemas/schemas/" + file)) {
            return ScimJson.MAPPER.readTree(in);
        }
    }
}
