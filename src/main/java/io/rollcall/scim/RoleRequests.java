package io.rollcall.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.access.Principal;
import io.rollcall.resource.SchemaUrns;
import io.rollcall.service.RoleAssignments.Channel;
import io.rollcall.service.RoleDefinition;
import io.rollcall.service.RoleService;
import io.rollcall.service.RoleService.HolderChange;
import io.rollcall.store.StoredResource;
import io.smallrye.mutiny.Uni;

/**
 * Writes to {@code /Roles} ({@link ResourceRequests}). Custom roles are created (also as a duplicate,
 * {@code copyFrom}), replaced, patched and deleted; {@code PATCH} operations on {@code members} (short or URN-qualified
 * path) are membership changes of any assignable role: {@code add} with a list of
 * {@code {"value": id, "type"?, "workspace"?}}, {@code remove} with {@code members[value eq "id"]} or a value list. Any
 * other operation edits a custom role's definition. Each write answers the role as it then stands.
 */
@ApplicationScoped
public class RoleRequests implements ResourceRequests {

    private final RoleService roles;
    private final ResourceSchema schema;
    private final ResourceValidator validator;

    public RoleRequests(RoleService roles, SchemaRegistry registry) {
        this.roles = roles;
        this.schema = registry.resourceSchema(RoleDocuments.RESOURCE_TYPE).orElseThrow();
        this.validator = new ResourceValidator(schema);
    }

    @Override
    public String endpoint() {
        return RoleDocuments.ENDPOINT;
    }

    @Override
    public Uni<StoredResource> create(Principal caller, ObjectNode body) throws ScimException {
        ObjectNode document = validator.validate(body, null).document();
        List<HolderChange> members = memberAdds(document);
        String copyFrom = copyFrom(body);
        var definition = RoleDocuments.toDefinition(document, false);
        var withCopy = new RoleDefinition(definition.name(), definition.description(),
                definition.value(), definition.policies(), definition.permissions(), copyFrom);
        return roles.createWithMembers(caller, Channel.SCIM, withCopy, members)
                .chain(created -> roles.get(caller, created));
    }

    @Override
    public Uni<StoredResource> replace(Principal caller, String id, String ifMatch, ObjectNode body) {
        return NotFoundFirst.write(() -> replaceJudged(caller, id, ifMatch, body), () -> lookup(caller, id));
    }

    private Uni<StoredResource> replaceJudged(Principal caller, String id, String ifMatch, ObjectNode body)
            throws ScimException {
        UUID roleId = ScimRequests.resourceId(id, RoleDocuments.RESOURCE_TYPE);
        ObjectNode document = validator.validate(body, null).document();
        if (document.path(SchemaUrns.ROLE_ACCESS).has("members")) {
            throw BadRequestException.invalidValue("A role's members change with PATCH (add or remove members), not PUT");
        }
        return roles.replace(caller, roleId, ifMatch, RoleDocuments.toDefinition(document, false))
                .chain(ignored -> roles.get(caller, roleId));
    }

    @Override
    public Uni<StoredResource> patch(Principal caller, String id, String ifMatch, ObjectNode body) {
        return NotFoundFirst.write(() -> patchJudged(caller, id, ifMatch, body), () -> lookup(caller, id));
    }

    private Uni<StoredResource> patchJudged(Principal caller, String id, String ifMatch, ObjectNode body)
            throws ScimException {
        UUID roleId = ScimRequests.resourceId(id, RoleDocuments.RESOURCE_TYPE);
        List<HolderChange> deltas = new ArrayList<>();
        ObjectNode definitionPatch = splitMembers(body, deltas);
        ScimPatch patch = definitionPatch == null ? null : ScimPatch.parse(definitionPatch, schema);
        return roles.update(caller, Channel.SCIM, roleId, ifMatch, patch == null ? null
                : current -> patched(current, id, patch), deltas)
                .chain(() -> roles.get(caller, roleId));
    }

    private Uni<StoredResource> lookup(Principal caller, String id) {
        return roles.get(caller, ScimRequests.resourceId(id, RoleDocuments.RESOURCE_TYPE));
    }

    @Override
    public Uni<Void> delete(Principal caller, String id, String ifMatch) {
        return roles.delete(caller, ScimRequests.resourceId(id, RoleDocuments.RESOURCE_TYPE), ifMatch);
    }

    /** The role's definition with the patch applied and validated (a refusal is the client's 400). */
    private RoleDefinition patched(RoleDefinition current, String id, ScimPatch patch) {
        ObjectNode before = RoleDocuments.definitionDocument(current);
        ObjectNode after = ScimRequests.unchecked(() -> patch.applyTo(before, id));
        ObjectNode validated = ScimRequests.unchecked(() -> validator.validate(after, before).document());
        return RoleDocuments.toDefinition(validated, true);
    }

    /** Moves member operations into {@code deltas}; returns the rest as a PATCH body, or null when none is left. */
    private static ObjectNode splitMembers(ObjectNode body, List<HolderChange> deltas) throws ScimException {
        JsonNode operations = body.get("Operations");
        if (operations == null || !operations.isArray()) {
            return body;
        }
        ArrayNode rest = ScimJson.MAPPER.createArrayNode();
        int index = 0;
        for (JsonNode operation : operations) {
            index++;
            String path = operation.path("path").isTextual() ? operation.get("path").textValue().trim() : null;
            String local = path == null ? null : path.startsWith(SchemaUrns.ROLE_ACCESS + ":")
                    ? path.substring(SchemaUrns.ROLE_ACCESS.length() + 1) : path;
            if (local == null || !local.toLowerCase(Locale.ROOT).startsWith("members")) {
                rest.add(operation);
                continue;
            }
            try {
                memberOperation(operation.path("op").asText("").toLowerCase(Locale.ROOT), local,
                        operation.get("value"), deltas);
            } catch (BadRequestException e) {
                e.getScimError().setDetail("Operation " + index + ": " + e.getScimError().getDetail());
                throw e;
            }
        }
        if (rest.isEmpty()) {
            return null;
        }
        ObjectNode remaining = body.deepCopy();
        remaining.set("Operations", rest);
        return remaining;
    }

    private static void memberOperation(String op, String path, JsonNode value, List<HolderChange> deltas)
            throws ScimException {
        com.unboundid.scim2.common.Path parsed = FilterLimits.check(com.unboundid.scim2.common.Path.fromString(
                FilterLimits.checkSyntax(FilterLimits.checkLength(path, "path", BadRequestException.INVALID_PATH),
                        "path", BadRequestException.INVALID_PATH)));
        var filter = parsed.getElement(0).getValueFilter();
        switch (op) {
            case "add" -> {
                if (filter != null || value == null) {
                    throw BadRequestException.invalidValue("'add' takes path \"members\" and a value such as "
                            + "[{\"value\": \"<user or group id>\"}]");
                }
                for (JsonNode member : value.isArray() ? value : List.of(value)) {
                    deltas.add(delta(true, member));
                }
            }
            case "remove" -> {
                if (filter != null) {
                    GroupPatch.idsIn(filter).forEach(id -> deltas.add(new HolderChange(false, id, null, null)));
                } else if (value != null && !value.isNull()) {
                    for (JsonNode member : value.isArray() ? value : List.of(value)) {
                        deltas.add(delta(false, member));
                    }
                } else {
                    throw BadRequestException.noTarget("Name the members to remove: members[value eq \"<id>\"], or "
                            + "path \"members\" with a value list");
                }
            }
            default -> throw BadRequestException.invalidValue("A role's members change with add and remove; '" + op
                    + "' is not supported on members");
        }
    }

    private static HolderChange delta(boolean add, JsonNode member) throws BadRequestException {
        JsonNode value = member.isObject() ? member.get("value") : member;
        if (value == null || !value.isTextual()) {
            throw BadRequestException.invalidValue("A member needs a \"value\": the id of a user, group or access key");
        }
        UUID id = GroupDocuments.uuid(value.textValue());
        String type = member.path("type").isTextual() ? member.get("type").textValue() : null;
        String workspace = member.path("workspace").isTextual() ? member.get("workspace").textValue() : null;
        return new HolderChange(add, id, type, workspace);
    }

    private static List<HolderChange> memberAdds(ObjectNode document) throws BadRequestException {
        List<HolderChange> deltas = new ArrayList<>();
        JsonNode access = document.path(SchemaUrns.ROLE_ACCESS);
        if (access instanceof ObjectNode object && object.has("members")) {
            for (JsonNode member : object.remove("members")) {
                deltas.add(delta(true, member));
            }
        }
        return deltas;
    }

    /** {@code copyFrom} is write-only: read it from the request before validation sets it aside. */
    private static String copyFrom(ObjectNode body) {
        JsonNode access = body.path(SchemaUrns.ROLE_ACCESS);
        return access.path("copyFrom").isTextual() ? access.get("copyFrom").textValue() : null;
    }
}
