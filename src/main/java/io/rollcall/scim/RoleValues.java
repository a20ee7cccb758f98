package io.rollcall.scim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.rollcall.store.BindingRow;

/**
 * A user's {@code roles} in every shape identity providers send them, made one: Okta's plain strings
 * ({@code ["campaign-manager"]}) and complex objects ({@code [{"value": "campaign-manager"}]}), Entra ID's app-role
 * objects ({@code {"primary": true, "type": "WindowsAzureActiveDirectoryRole", "value": "Admin"}}) and their
 * stringified-JSON form ({@code {"value": "{\"id\":\"…\",\"value\":\"Admin\",\"displayName\":\"Admin\"}"}}).
 */
final class RoleValues {

    static final String ATTRIBUTE = "roles";

    private RoleValues() {
    }

    /** Rewrites {@code roles} in place as an array of objects whose {@code value} is a role reference. */
    static void normalize(ObjectNode document) throws BadRequestException {
        String field = fieldName(document);
        if (field == null) {
            return;
        }
        JsonNode roles = document.remove(field);
        if (roles.isNull()) {
            document.putArray(ATTRIBUTE);
            return;
        }
        ArrayNode out = ScimJson.MAPPER.createArrayNode();
        for (JsonNode role : roles.isArray() ? roles : List.of(roles)) {
            out.add(normalizeOne(role));
        }
        document.set(ATTRIBUTE, out);
    }

    /** The role references of a normalized document, or null when it has no {@code roles}. */
    static List<String> references(ObjectNode document) throws BadRequestException {
        JsonNode roles = document.get(ATTRIBUTE);
        if (roles == null) {
            return null;
        }
        List<String> references = new ArrayList<>();
        for (JsonNode role : roles) {
            JsonNode value = role.get("value");
            if (value == null || !value.isTextual() || value.textValue().isBlank()) {
                throw BadRequestException.invalidValue("Each entry of 'roles' needs a 'value' naming a role (its value, "
                        + "id or name, optionally followed by @workspace), e.g. {\"value\": \"campaign-manager\"}");
            }
            references.add(value.textValue().trim());
        }
        return references;
    }

    /** Bindings as a patch sees them: the ones an identity provider may change (not the {@code system} fallback). */
    static ArrayNode patchable(List<BindingRow> bindings) {
        ArrayNode roles = ScimJson.MAPPER.createArrayNode();
        bindings.stream().filter(b -> !b.source().equals("system"))
                .forEach(b -> roles.addObject().put("value", b.reference()).put("display", b.roleName())
                        .put("type", b.source()));
        return roles;
    }

    private static ObjectNode normalizeOne(JsonNode role) throws BadRequestException {
        if (role.isTextual()) {
            ObjectNode object = ScimJson.MAPPER.createObjectNode();
            object.put("value", unwrap(role.textValue()));
            return object;
        }
        if (!role.isObject()) {
            throw BadRequestException.invalidValue("An entry of 'roles' is " + role.getNodeType().toString().toLowerCase()
                    + "; send a role reference as a string or as {\"value\": \"…\"}");
        }
        ObjectNode object = ((ObjectNode) role).deepCopy();
        JsonNode value = object.get("value");
        if (value != null && value.isTextual()) {
            object.put("value", unwrap(value.textValue()));
        }
        return object;
    }

    /** Entra ID's stringified app role: its {@code value}, else its {@code displayName}, else its {@code id}. */
    private static String unwrap(String value) throws BadRequestException {
        String trimmed = value.trim();
        if (!trimmed.startsWith("{")) {
            return trimmed;
        }
        try {
            JsonNode parsed = ScimJson.MAPPER.readTree(trimmed);
            for (String name : List.of("value", "displayName", "id")) {
                JsonNode inner = parsed.get(name);
                if (inner != null && inner.isTextual() && !inner.textValue().isBlank()) {
                    return inner.textValue().trim();
                }
            }
        } catch (IOException e) {
            // not JSON after all: reported below
        }
        throw BadRequestException.invalidValue("The role value " + trimmed + " looks like JSON but has no \"value\", "
                + "\"displayName\" or \"id\" naming a role");
    }

    private static String fieldName(ObjectNode document) {
        for (var names = document.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (name.equalsIgnoreCase(ATTRIBUTE)) {
                return name;
            }
        }
        return null;
    }
}
