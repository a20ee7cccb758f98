package io.rollcall.scim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import io.rollcall.resource.Paging;
import io.rollcall.resource.ResourceQuery;
import io.rollcall.service.PageBatches;
import io.rollcall.service.UserService;
import io.rollcall.service.ETags;
import io.rollcall.store.StoredResource;
import io.rollcall.store.UserView;
import io.smallrye.mutiny.Uni;

/**
 * {@code /scim/v2/Users} (RFC 7644 §3.3–§3.6): create, read (with {@code If-None-Match}), list and {@code .search}
 * with filter, sort, paging and projection executed in PostgreSQL, replace, patch and delete (with {@code If-Match}).
 * Every response carries the resource's {@code ETag}; every write answers with the projected resource. Writes are
 * parsed and validated by {@link UserRequests}, which Bulk uses too.
 */
@Path("/scim/v2/Users")
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
@Consumes({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class UsersEndpoint {

    private final UserService users;
    private final CurrentCaller caller;
    private final UserRequests requests;
    private final ResourceSchema schema;
    private final RollcallConfig config;
    private final Cursors cursors;

    public UsersEndpoint(UserService users, UserRequests requests, CurrentCaller caller, SchemaRegistry registry,
            RollcallConfig config, Cursors cursors) {
        this.users = users;
        this.requests = requests;
        this.caller = caller;
        this.schema = registry.resourceSchema(UserDocuments.RESOURCE_TYPE).orElseThrow();
        this.config = config;
        this.cursors = cursors;
    }

    @POST
    public Uni<Response> create(ObjectNode body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        ScimLocations locations = ScimLocations.of(uriInfo);
        return requests.create(caller.get(), body).chain(stored -> reread(Response.Status.CREATED, stored, projection,
                locations));
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        UUID userId = ScimRequests.resourceId(id, UserDocuments.RESOURCE_TYPE);
        ScimLocations locations = ScimLocations.of(uriInfo);
        boolean access = UserDocuments.ACCESS_ATTRIBUTES.stream().anyMatch(projection::includes);
        return users.get(caller.get(), userId, projection.includes("groups"), projection.includes(RoleValues.ATTRIBUTE))
                .chain(stored -> {
                    Response notModified = ScimRequests.notModified(ifNoneMatch, stored.version());
                    if (notModified != null) {
                        return Uni.createFrom().item(notModified);
                    }
                    if (!access) {
                        return Uni.createFrom().item(respond(Response.Status.OK, stored, projection, locations));
                    }
                    return users.effectiveAccess(caller.get(), userId).map(effective -> {
                        ObjectNode body = UserDocuments.render(stored, locations);
                        UserDocuments.renderAccess(body, effective);
                        return Response.ok(new GenericScimResource(projection.apply(body)))
                                .header(HttpHeaders.ETAG, ETags.etag(stored.version())).build();
                    });
                });
    }

    @GET
    public Uni<Object> list(@QueryParam("filter") String filter,
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
    public Uni<Object> searchRequest(SearchRequest request, @Context UriInfo uriInfo)
            throws ScimException {
        return search(ListQuery.fromSearchRequest(request, config.scim()), ScimLocations.of(uriInfo));
    }

    @PUT
    @Path("{id}")
    public Uni<Response> replace(@PathParam("id") String id, ObjectNode body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        ScimLocations locations = ScimLocations.of(uriInfo);
        return requests.replace(caller.get(), id, ifMatch, body)
                .chain(stored -> reread(Response.Status.OK, stored, projection, locations));
    }

    @PATCH
    @Path("{id}")
    public Uni<Response> patch(@PathParam("id") String id, ObjectNode body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        ScimLocations locations = ScimLocations.of(uriInfo);
        return requests.patch(caller.get(), id, ifMatch, body)
                .chain(stored -> reread(Response.Status.OK, stored, projection, locations));
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch)
            throws ScimException {
        return requests.delete(caller.get(), id, ifMatch).map(ignored -> Response.noContent().build());
    }

    private Uni<Object> search(ListQuery query, ScimLocations locations) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, query.attributes(), query.excludedAttributes());
        UUID orgId = caller.get().orgId();
        Paging paging = cursors.paging(query, orgId, UserDocuments.RESOURCE_TYPE);
        ResourceQuery resourceQuery = query.resourceQuery(paging, projection, "groups", RoleValues.ATTRIBUTE);
        if (query.count() > PageBatches.MAX_ITEMS) {
            // a big page is read and written a batch at a time (1,000 users of ~30 KB are ~30 MB), each user rendered
            // as it is written; its nextCursor follows the last user written
            return users.stream(caller.get(), schema, resourceQuery)
                    .map(page -> ListResponseBodies.streamed(page.totalResults(), page.batches(),
                            user -> representation(user, projection, locations), query.answeredStartIndex(),
                            cursors.previous(query, orgId, UserDocuments.RESOURCE_TYPE, paging, page.keyset()),
                            written -> cursors.next(query, orgId, UserDocuments.RESOURCE_TYPE, paging, page.keyset(),
                                    written)));
        }
        return users.search(caller.get(), schema, resourceQuery)
                .map(page -> new ListResponse<>((int) page.totalResults(), query.answeredStartIndex(),
                        page.items().size(),
                        cursors.previous(query, orgId, UserDocuments.RESOURCE_TYPE, paging, page.keyset()),
                        cursors.next(query, orgId, UserDocuments.RESOURCE_TYPE, paging, page.keyset(),
                                page.items().size()),
                        page.items().stream().map(user -> representation(user, projection, locations)).toList()));
    }

    /**
     * For the root {@code .search}: the users with these ids (in the page's order), rendered and projected, by id.
     * Users after the one whose groups and roles would pass {@link UserService#PAGE_RELATION_ROWS} are left out.
     */
    Uni<Map<UUID, Object>> byIds(ListQuery query, List<UUID> ids, ScimLocations locations) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, query.attributes(), query.excludedAttributes());
        return users.byIds(caller.get(), ids, projection.includes("groups"), projection.includes(RoleValues.ATTRIBUTE))
                .map(found -> {
                    Map<UUID, Object> rendered = new HashMap<>();
                    found.forEach(user -> rendered.put(user.stored().id(), representation(user, projection, locations)));
                    return rendered;
                });
    }

    ResourceSchema schema() {
        return schema;
    }

    /**
     * Without projection, or with one by whole attributes, a user is written as JSON text from its stored document
     * ({@link DirectJson}); any other projection is applied to the parsed representation.
     */
    private static Object representation(UserView user, AttributeProjection projection, ScimLocations locations) {
        if (projection.isDefault()) {
            return UserDocuments.json(user, locations);
        }
        if (projection.byTopLevelNames()) {
            return UserDocuments.json(user, locations, projection::showsField);
        }
        return new GenericScimResource(projection.apply(UserDocuments.render(user, locations)));
    }

    /**
     * After a write: the user as stored, with its groups and roles if the response shows them (read after the commit;
     * if another write got in between, the document this write stored is answered instead).
     */
    private Uni<Response> reread(Response.Status status, StoredResource written, AttributeProjection projection,
            ScimLocations locations) {
        boolean groups = projection.includes("groups");
        boolean roles = projection.includes(RoleValues.ATTRIBUTE);
        if (!groups && !roles) {
            return Uni.createFrom().item(respond(status, written, projection, locations));
        }
        return users.get(caller.get(), written.id(), groups, roles)
                .map(stored -> respond(status, stored.version() == written.version() ? stored : written,
                        projection, locations));
    }

    private static Response respond(Response.Status status, StoredResource stored, AttributeProjection projection,
            ScimLocations locations) {
        // without projection the representation is written from the stored document as it is (no tree)
        Object body = projection.isDefault() ? UserDocuments.json(UserView.of(stored), locations)
                : new GenericScimResource(projection.apply(UserDocuments.render(stored, locations)));
        Response.ResponseBuilder response = Response.status(status).entity(body)
                .header(HttpHeaders.ETAG, ETags.etag(stored.version()));
        // every answer that shows one resource says where it is (RFC 7644 §3.4.1, §3.5.1), not only a 201
        response.location(locations.of(UserDocuments.ENDPOINT, stored.id().toString()));
        return response.build();
    }
}
