package io.rollcall.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;

import io.rollcall.service.RoleDefinition;
import io.rollcall.store.RoleHolder;
import io.rollcall.store.StoredResource;
import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.ResolvedAttribute;
import io.rollcall.resource.SchemaUrns;

/**
 * Between the wire and the store for Roles: the representation the {@code scim_roles} view builds, framed with
 * {@code id} and {@code meta} and, when asked for, the role's members; and a validated document as a
 * {@link RoleDefinition}.
 */
final class RoleDocuments {

    static final String RESOURCE_TYPE = "Role";
    static final String ENDPOINT = "/Roles";
    static final String MEMBERS = SchemaUrns.ROLE_ACCESS + ":members";

    private RoleDocuments() {
    }

    /**
     * How filters and {@code sortBy} name a role's attributes: as the schemas say, and also without the access extension's URN when the
     * core Role schema (only {@code displayName} and {@code description}, what Okta reads) has no attribute of that name,
     * so that {@code members.value eq "<id>"} and {@code value eq "inbox-agent"} work as their qualified forms do.
     */
    static AttributeResolver queryAttributes(ResourceSchema schema) {
        return path -> {
            Optional<ResolvedAttribute> resolved = schema.resolve(path);
            if (resolved.isPresent() || path.getSchemaUrn() != null || path.isRoot()) {
                return resolved;
            }
            Path qualified = Path.root(SchemaUrns.ROLE_ACCESS);
            for (int i = 0; i < path.size(); i++) {
                qualified = qualified.attribute(path.getElement(i).getAttribute());
            }
            return schema.resolve(qualified);
        };
    }

    static ObjectNode render(StoredResource stored, List<RoleHolder> members, ScimLocations locations) {
        ObjectNode out = ScimDocuments.frame(stored);
        if (members != null) {
            ArrayNode array = ((ObjectNode) out.get(SchemaUrns.ROLE_ACCESS)).putArray("members");
            for (RoleHolder member : members) {
                ObjectNode node = array.addObject().put("value", member.id().toString());
                String type = switch (member.kind()) {
                    case "user" -> UserDocuments.RESOURCE_TYPE;
                    case "group" -> GroupDocuments.RESOURCE_TYPE;
                    default -> "AccessKey";
                };
                if (!type.equals("AccessKey")) {
                    node.put("$ref", locations.of(type.equals("User") ? UserDocuments.ENDPOINT : GroupDocuments.ENDPOINT,
                            member.id().toString()).toString());
                }
                node.put("display", member.display()).put("type", type);
                if (member.workspace() != null) {
                    node.put("workspace", member.workspace());
                }
                node.put("source", member.source());
            }
        }
        ScimDocuments.meta(out, stored, RESOURCE_TYPE, locations, ENDPOINT);
        return out;
    }

    /** @param withPermissions whether the document speaks for the ticked permissions (else they are left alone) */
    static RoleDefinition toDefinition(ObjectNode document, boolean withPermissions) {
        JsonNode access = document.path(SchemaUrns.ROLE_ACCESS);
        List<String> policies = new ArrayList<>();
        access.path("policies").forEach(policy -> policies.add(policy.path("value").asText()));
        List<String> permissions = null;
        if (access.has("permissions") || withPermissions) {
            permissions = new ArrayList<>();
            for (JsonNode permission : access.path("permissions")) {
                permissions.add(permission.asText());
            }
        }
        return new RoleDefinition(ScimDocuments.text(document, "displayName"), ScimDocuments.text(document, "description"),
                access.hasNonNull("value") ? access.get("value").asText() : null, policies, permissions,
                access.hasNonNull("copyFrom") ? access.get("copyFrom").asText() : null);
    }

    /** The editable part of a role as a document a patch can run on. */
    static ObjectNode definitionDocument(RoleDefinition definition) {
        ObjectNode document = ScimJson.MAPPER.createObjectNode();
        document.putArray("schemas").add("urn:okta:scim:schemas:core:1.0:Role").add(SchemaUrns.ROLE_ACCESS);
        document.put("displayName", definition.name());
        document.put("description", definition.description());
        ObjectNode access = document.putObject(SchemaUrns.ROLE_ACCESS);
        access.put("value", definition.value());
        ArrayNode policies = access.putArray("policies");
        definition.policies().forEach(id -> policies.addObject().put("value", id));
        ArrayNode permissions = access.putArray("permissions");
        definition.permissions().forEach(permissions::add);
        return document;
    }
}
