package io.rollcall.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.messages.SearchRequest;

import io.rollcall.access.Principal;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.config.RollcallConfig;
import io.rollcall.http.MediaTypes;
import io.rollcall.service.RoleAssignments.Channel;
import io.rollcall.service.RoleService;
import io.rollcall.service.RoleService.HolderChange;
import io.rollcall.service.ETags;
import io.rollcall.store.StoredResource;
import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.Paging;
import io.rollcall.resource.SchemaUrns;
import io.rollcall.service.RoleDefinition;
import io.rollcall.store.RoleHolder;
import io.smallrye.mutiny.Uni;

/**
 * {@code /scim/v2/Roles}: the organization's assignable roles (what Okta's entitlement discovery reads), with filters,
 * sorting, paging and projection in PostgreSQL. {@code PATCH} adds and removes members of any assignable role; custom
 * roles are created (also as a duplicate, {@code copyFrom}), replaced, patched and deleted by callers that also hold
 * {@code roles:manage}. Members are returned on request ({@code attributes=…:members}), and filters find the roles
 * a principal is bound to ({@code members.value eq "<user, group or access key id>"}) in SQL.
 */
@Path("/scim/v2/Roles")
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
@Consumes({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class RolesEndpoint {

    private final RoleService roles;
    private final CurrentCaller caller;
    private final ResourceSchema schema;
    private final ResourceValidator validator;
    private final RollcallConfig config;
    private final AttributeResolver queryAttributes;
    private final Cursors cursors;

    public RolesEndpoint(RoleService roles, CurrentCaller caller, SchemaRegistry registry, RollcallConfig config,
            Cursors cursors) {
        this.roles = roles;
        this.caller = caller;
        this.schema = registry.resourceSchema(RoleDocuments.RESOURCE_TYPE).orElseThrow();
        this.validator = new ResourceValidator(schema);
        this.config = config;
        this.queryAttributes = RoleDocuments.queryAttributes(schema);
        this.cursors = cursors;
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        UUID roleId = ScimRequests.resourceId(id, RoleDocuments.RESOURCE_TYPE);
        ScimLocations locations = ScimLocations.of(uriInfo);
        return roles.get(caller.get(), roleId).chain(stored -> {
            Response notModified = ScimRequests.notModified(ifNoneMatch, stored.version());
            return notModified != null ? Uni.createFrom().item(notModified)
                    : respond(Response.Status.OK, stored, projection, locations);
        });
    }

    @GET
    public Uni<ListResponse<GenericScimResource>> list(@QueryParam("filter") String filter,
            @QueryParam("sortBy") String sortBy, @QueryParam("sortOrder") String sortOrder,
            @QueryParam("startIndex") String startIndex, @QueryParam("count") String count,
            @QueryParam("attributes") String attributes, @QueryParam("excludedAttributes") String excludedAttributes,
            @Context UriInfo uriInfo) throws ScimException {
        return search(ListQuery.fromParameters(filter, sortBy, sortOrder, startIndex, count,
                ScimRequests.queryParameter(uriInfo, "cursor"), attributes, excludedAttributes, config.scim()),
                ScimLocations.of(uriInfo));
    }

    @POST
    @Path(".search")
    public Uni<ListResponse<GenericScimResource>> searchRequest(SearchRequest request, @Context UriInfo uriInfo)
            throws ScimException {
        return search(ListQuery.fromSearchRequest(request, config.scim()), ScimLocations.of(uriInfo));
    }

    @POST
    public Uni<Response> create(ObjectNode body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        ObjectNode document = validator.validate(body, null).document();
        List<HolderChange> members = memberAdds(document);
        String copyFrom = copyFrom(body);
        var definition = RoleDocuments.toDefinition(document, false);
        var withCopy = new RoleDefinition(definition.name(), definition.description(),
                definition.value(), definition.policies(), definition.permissions(), copyFrom);
        ScimLocations locations = ScimLocations.of(uriInfo);
        var principal = caller.get();
        return roles.createWithMembers(principal, Channel.SCIM, withCopy, members)
                .chain(created -> roles.get(principal, created))
                .chain(stored -> respond(Response.Status.CREATED, stored, projection, locations));
    }

    @PUT
    @Path("{id}")
    public Uni<Response> replace(@PathParam("id") String id, ObjectNode body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        UUID roleId = ScimRequests.resourceId(id, RoleDocuments.RESOURCE_TYPE);
        ObjectNode document = validator.validate(body, null).document();
        if (document.path(SchemaUrns.ROLE_ACCESS).has("members")) {
            throw BadRequestException.invalidValue("A role's members change with PATCH (add or remove members), not PUT");
        }
        ScimLocations locations = ScimLocations.of(uriInfo);
        return roles.replace(caller.get(), roleId, ifMatch, RoleDocuments.toDefinition(document, false))
                .chain(ignored -> roles.get(caller.get(), roleId))
                .chain(stored -> respond(Response.Status.OK, stored, projection, locations));
    }

    /**
     * Operations on {@code members} (short or URN-qualified path) are membership changes: {@code add} with a list of
     * {@code {"value": id, "type"?, "workspace"?}}, {@code remove} with {@code members[value eq "id"]} or a value list.
     * Any other operation edits a custom role's definition.
     */
    @PATCH
    @Path("{id}")
    public Uni<Response> patch(@PathParam("id") String id, ObjectNode body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        UUID roleId = ScimRequests.resourceId(id, RoleDocuments.RESOURCE_TYPE);
        ScimLocations locations = ScimLocations.of(uriInfo);
        List<HolderChange> deltas = new ArrayList<>();
        ObjectNode definitionPatch = splitMembers(body, deltas);
        ScimPatch patch = definitionPatch == null ? null : ScimPatch.parse(definitionPatch, schema);
        var principal = caller.get();
        return roles.update(principal, Channel.SCIM, roleId, ifMatch, patch == null ? null
                : current -> patched(current, id, patch), deltas)
                .chain(() -> roles.get(principal, roleId))
                .chain(stored -> respond(Response.Status.OK, stored, projection, locations));
    }

    /** The role's definition with the patch applied and validated (a refusal is the client's 400). */
    private RoleDefinition patched(RoleDefinition current, String id, ScimPatch patch) {
        ObjectNode before = RoleDocuments.definitionDocument(current);
        ObjectNode after = ScimRequests.unchecked(() -> patch.applyTo(before, id));
        ObjectNode validated = ScimRequests.unchecked(() -> validator.validate(after, before).document());
        return RoleDocuments.toDefinition(validated, true);
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch)
            throws ScimException {
        return roles.delete(caller.get(), ScimRequests.resourceId(id, RoleDocuments.RESOURCE_TYPE), ifMatch)
                .map(ignored -> Response.noContent().build());
    }

    private Uni<ListResponse<GenericScimResource>> search(ListQuery query, ScimLocations locations) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, query.attributes(), query.excludedAttributes());
        UUID orgId = caller.get().orgId();
        Paging paging = cursors.paging(query, orgId, RoleDocuments.RESOURCE_TYPE);
        return roles.search(caller.get(), queryAttributes, query.resourceQuery(paging, projection, RoleDocuments.MEMBERS))
                .map(page -> new ListResponse<>((int) page.totalResults(), query.answeredStartIndex(),
                        page.items().size(), null, cursors.next(query, orgId, RoleDocuments.RESOURCE_TYPE, paging,
                                page.keyset(), page.items().size()),
                        page.items().stream().map(stored -> new GenericScimResource(projection.apply(
                                RoleDocuments.render(stored, null, locations)))).toList()));
    }

    private Uni<Response> respond(Response.Status status, StoredResource stored, AttributeProjection projection,
            ScimLocations locations) {
        Uni<List<RoleHolder>> members = projection.includes(RoleDocuments.MEMBERS)
                ? roles.members(caller.get(), stored.id()) : Uni.createFrom().nullItem();
        return members.map(found -> {
            ObjectNode body = projection.apply(RoleDocuments.render(stored, found, locations));
            Response.ResponseBuilder response = Response.status(status).entity(new GenericScimResource(body))
                    .header(HttpHeaders.ETAG, ETags.etag(stored.version()));
            // every answer that shows one resource says where it is (RFC 7644 §3.4.1, §3.5.1), not only a 201
            response.location(locations.of(RoleDocuments.ENDPOINT, stored.id().toString()));
            return response.build();
        });
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
