package io.rollcall.scim;

import java.util.List;
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

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.messages.SearchRequest;

import io.rollcall.auth.CurrentCaller;
import io.rollcall.config.RollcallConfig;
import io.rollcall.http.MediaTypes;
import io.rollcall.service.RoleService;
import io.rollcall.service.ETags;
import io.rollcall.store.StoredResource;
import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.Paging;
import io.rollcall.store.RoleHolder;
import io.smallrye.mutiny.Uni;

/**
 * {@code /scim/v2/Roles}: the organization's assignable roles (what Okta's entitlement discovery reads), with filters,
 * sorting, paging and projection in PostgreSQL. {@code PATCH} adds and removes members of any assignable role; custom
 * roles are created (also as a duplicate, {@code copyFrom}), replaced, patched and deleted by callers that also hold
 * {@code roles:manage}. Members are returned on request ({@code attributes=…:members}), and filters find the roles
 * a principal is bound to ({@code members.value eq "<user, group or access key id>"}) in SQL. Writes are parsed and
 * validated by {@link RoleRequests}, which Bulk uses too.
 */
@Path("/scim/v2/Roles")
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
@Consumes({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class RolesEndpoint {

    private final RoleService roles;
    private final CurrentCaller caller;
    private final RoleRequests requests;
    private final ResourceSchema schema;
    private final RollcallConfig config;
    private final AttributeResolver queryAttributes;
    private final Cursors cursors;

    public RolesEndpoint(RoleService roles, RoleRequests requests, CurrentCaller caller, SchemaRegistry registry,
            RollcallConfig config, Cursors cursors) {
        this.roles = roles;
        this.requests = requests;
        this.caller = caller;
        this.schema = registry.resourceSchema(RoleDocuments.RESOURCE_TYPE).orElseThrow();
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
        ScimLocations locations = ScimLocations.of(uriInfo);
        return requests.create(caller.get(), body)
                .chain(stored -> respond(Response.Status.CREATED, stored, projection, locations));
    }

    @PUT
    @Path("{id}")
    public Uni<Response> replace(@PathParam("id") String id, ObjectNode body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        ScimLocations locations = ScimLocations.of(uriInfo);
        return requests.replace(caller.get(), id, ifMatch, body)
                .chain(stored -> respond(Response.Status.OK, stored, projection, locations));
    }

    /** Membership and definition changes, as {@link RoleRequests#patch} reads them. */
    @PATCH
    @Path("{id}")
    public Uni<Response> patch(@PathParam("id") String id, ObjectNode body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        ScimLocations locations = ScimLocations.of(uriInfo);
        return requests.patch(caller.get(), id, ifMatch, body)
                .chain(stored -> respond(Response.Status.OK, stored, projection, locations));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch)
            throws ScimException {
        return requests.delete(caller.get(), id, ifMatch).map(ignored -> Response.noContent().build());
    }

    private Uni<ListResponse<GenericScimResource>> search(ListQuery query, ScimLocations locations) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, query.attributes(), query.excludedAttributes());
        UUID orgId = caller.get().orgId();
        Paging paging = cursors.paging(query, orgId, RoleDocuments.RESOURCE_TYPE);
        return roles.search(caller.get(), queryAttributes, query.resourceQuery(paging, projection, RoleDocuments.MEMBERS))
                .map(page -> new ListResponse<>((int) page.totalResults(), query.answeredStartIndex(),
                        page.items().size(),
                        cursors.previous(query, orgId, RoleDocuments.RESOURCE_TYPE, paging, page.keyset()),
                        cursors.next(query, orgId, RoleDocuments.RESOURCE_TYPE, paging, page.keyset(),
                                page.items().size()),
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
}
