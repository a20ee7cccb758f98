package io.rollcall.scim;

import java.util.ArrayList;
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
import com.unboundid.scim2.common.messages.SearchRequest;

import io.rollcall.auth.CurrentCaller;
import io.rollcall.config.RollcallConfig;
import io.rollcall.http.MediaTypes;
import io.rollcall.resource.Paging;
import io.rollcall.service.GroupService;
import io.rollcall.service.GroupSnapshot;
import io.rollcall.service.ETags;
import io.rollcall.store.GroupMember;
import io.rollcall.store.StoredResource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * {@code /scim/v2/Groups} (RFC 7644 §3.3–§3.6): as Users, with membership in its own table. Members are read only when
 * the response shows them ({@code excludedAttributes=members} never reads them), and PATCH changes them by deltas. A
 * PATCH answers 204 with the new ETag unless {@code attributes} or {@code excludedAttributes} ask for the resource
 * (RFC 7644 §3.5.2 allows either), so that a one-member change to a 100,000-member group stays small. Writes are
 * parsed and validated by {@link GroupRequests}, which Bulk uses too.
 */
@Path("/scim/v2/Groups")
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
@Consumes({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class GroupsEndpoint {

    private final GroupService groups;
    private final CurrentCaller caller;
    private final GroupRequests requests;
    private final ResourceSchema schema;
    private final RollcallConfig config;
    private final Cursors cursors;

    public GroupsEndpoint(GroupService groups, GroupRequests requests, CurrentCaller caller, SchemaRegistry registry,
            RollcallConfig config, Cursors cursors) {
        this.groups = groups;
        this.requests = requests;
        this.caller = caller;
        this.schema = registry.resourceSchema(GroupDocuments.RESOURCE_TYPE).orElseThrow();
        this.config = config;
        this.cursors = cursors;
    }

    @POST
    public Uni<Response> create(ObjectNode body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        ScimLocations locations = ScimLocations.of(uriInfo);
        return requests.create(caller.get(), body).chain(stored -> respond(Response.Status.CREATED, stored, projection,
                locations));
    }

    @GET
    @Path("{id}")
    public Uni<Response> get(@PathParam("id") String id, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        ScimLocations locations = ScimLocations.of(uriInfo);
        UUID groupId = ScimRequests.resourceId(id, GroupDocuments.RESOURCE_TYPE);
        if (!projection.includes("members")) {
            return groups.get(caller.get(), groupId).chain(stored -> {
                Response notModified = ScimRequests.notModified(ifNoneMatch, stored.version());
                return notModified != null ? Uni.createFrom().item(notModified)
                        : respond(Response.Status.OK, stored, projection, locations);
            });
        }
        return groups.snapshot(caller.get(), groupId).chain(snapshot -> {
            Response notModified = ScimRequests.notModified(ifNoneMatch, snapshot.group().version());
            return notModified != null ? snapshot.release().replaceWith(notModified)
                    : respond(Response.Status.OK, snapshot, projection, locations);
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
                .chain(stored -> respond(Response.Status.OK, stored, projection, locations));
    }

    @PATCH
    @Path("{id}")
    public Uni<Response> patch(@PathParam("id") String id, ObjectNode body, @QueryParam("attributes") String attributes,
            @QueryParam("excludedAttributes") String excludedAttributes,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @Context UriInfo uriInfo) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excludedAttributes);
        ScimLocations locations = ScimLocations.of(uriInfo);
        boolean showResource = attributes != null || excludedAttributes != null;
        return requests.patch(caller.get(), id, ifMatch, body).chain(stored -> {
            if (!showResource) {
                return Uni.createFrom().item(Response.noContent().header(HttpHeaders.ETAG, ETags.etag(stored.version()))
                        .location(locations.of(GroupDocuments.ENDPOINT, stored.id().toString())).build());
            }
            return respond(Response.Status.OK, stored, projection, locations);
        });
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return requests.delete(caller.get(), id, ifMatch).map(ignored -> Response.noContent().build());
    }

    private Uni<Object> search(ListQuery query, ScimLocations locations) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, query.attributes(), query.excludedAttributes());
        UUID orgId = caller.get().orgId();
        Paging paging = cursors.paging(query, orgId, GroupDocuments.RESOURCE_TYPE);
        return groups.search(caller.get(), schema, query.resourceQuery(paging, projection, "members"))
                .chain(page -> Multi.createFrom().iterable(page.items())
                        .onItem().transformToUniAndConcatenate(stored -> representation(stored, projection, locations))
                        .collect().asList()
                        .map(resources -> ListResponseBodies.of(page.totalResults(), resources,
                                query.answeredStartIndex(),
                                cursors.previous(query, orgId, GroupDocuments.RESOURCE_TYPE, paging, page.keyset()),
                                cursors.next(query, orgId, GroupDocuments.RESOURCE_TYPE, paging, page.keyset(),
                                        resources.size()))));
    }

    /** For the root {@code .search}: the groups with these ids, rendered and projected, by id. */
    Uni<Map<UUID, Object>> byIds(ListQuery query, List<UUID> ids, ScimLocations locations) throws ScimException {
        AttributeProjection projection = AttributeProjection.of(schema, query.attributes(), query.excludedAttributes());
        return groups.byIds(caller.get(), ids)
                .chain(found -> Multi.createFrom().iterable(found)
                        .onItem().transformToUniAndConcatenate(stored -> representation(stored, projection, locations)
                                .map(body -> Map.entry(stored.id(), body)))
                        .collect().asMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    ResourceSchema schema() {
        return schema;
    }

    /**
     * The group as a write left it. An answer that shows members reads the group again with them from one snapshot
     * ({@link GroupService#snapshot}): its ETag then names exactly what it shows, this write and any that committed
     * since. A membership-only PATCH read no row, so an answer without members reads it.
     */
    private Uni<Response> respond(Response.Status status, StoredResource written, AttributeProjection projection,
            ScimLocations locations) {
        if (projection.includes("members")) {
            return groups.snapshot(caller.get(), written.id())
                    .chain(snapshot -> respond(status, snapshot, projection, locations));
        }
        Uni<StoredResource> shown = written.data() != null ? Uni.createFrom().item(written)
                : groups.get(caller.get(), written.id());
        return shown.chain(group -> representation(group, projection, locations, Multi.createFrom().empty())
                .map(body -> answer(status, group, body, locations)));
    }

    private Uni<Response> respond(Response.Status status, GroupSnapshot snapshot, AttributeProjection projection,
            ScimLocations locations) {
        return representation(snapshot.group(), projection, locations, snapshot.members())
                .map(body -> answer(status, snapshot.group(), body, locations));
    }

    /** A group of a list page, its members read outside any snapshot (see {@link #respond}). */
    private Uni<Object> representation(StoredResource stored, AttributeProjection projection, ScimLocations locations) {
        return representation(stored, projection, locations, projection.includes("members")
                ? groups.memberBatches(caller.get(), stored.id()) : Multi.createFrom().empty());
    }

    /**
     * The group as the response shows it: without projection a {@link JsonStream} that writes it while its members are
     * read ({@link GroupJsonWriter#pieces}), else built as a tree with the members and projected.
     */
    private static Uni<Object> representation(StoredResource group, AttributeProjection projection,
            ScimLocations locations, Multi<List<GroupMember>> members) {
        if (projection.isDefault()) {
            return Uni.createFrom().item(new JsonStream(GroupJsonWriter.pieces(group, locations, members)));
        }
        return members.collect().in(ArrayList<GroupMember>::new, List::addAll)
                .map(list -> new GenericScimResource(projection.apply(GroupDocuments.render(group, list, locations))));
    }

    private static Response answer(Response.Status status, StoredResource group, Object body, ScimLocations locations) {
        return Response.status(status).entity(body).header(HttpHeaders.ETAG, ETags.etag(group.version()))
                // every answer that shows one resource says where it is (RFC 7644 §3.4.1, §3.5.1), not only a 201
                .location(locations.of(GroupDocuments.ENDPOINT, group.id().toString())).build();
    }
}
