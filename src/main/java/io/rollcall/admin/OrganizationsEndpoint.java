package io.rollcall.admin;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;

import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.OrganizationService;
import io.rollcall.service.ScimFailure;
import io.rollcall.resource.Ids;
import io.rollcall.store.OrganizationEntity;
import io.rollcall.store.OrganizationRepository.Counts;
import io.smallrye.mutiny.Uni;

/**
 * {@code /admin/v1/organizations}: the platform operator's API (its token only; see {@code OperatorCredential}).
 *
 * <pre>
 * POST   {"name": "acme"}                       → 201 {"id", "name", "createdAt", "suspended": false,
 *                                                       "accessKey": {"id", "name", "token"}}   (token shown once)
 * GET    ?startIndex=1&amp;count=100                → {"totalResults", "startIndex", "itemsPerPage", "items": [...]}
 * GET    /{id}                                  → the organization with "counts": {"users", "groups", "roles", "accessKeys"}
 * PATCH  /{id} {"name": …, "suspended": true}   → 200, merge patch: absent = unchanged
 * DELETE /{id}?confirm=acme                     → 204; 409 unless confirm repeats the name
 * </pre>
 */
@Path("/admin/v1/organizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrganizationsEndpoint {

    private static final String MERGE_PATCH_JSON = "application/merge-patch+json";
    private static final int DEFAULT_COUNT = 100;
    private static final int MAX_COUNT = 1000;

    public record CreateRequest(String name) {
    }

    public record PatchRequest(String name, Boolean suspended) {
    }

    public record OwnerKey(UUID id, String name, String token) {
    }

    public record CountsJson(long users, long groups, long roles, long accessKeys) {

        static CountsJson of(Counts counts) {
            return new CountsJson(counts.users(), counts.groups(), counts.roles(), counts.accessKeys());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Organization(UUID id, String name, Instant createdAt, boolean suspended, Instant suspendedAt,
            CountsJson counts, OwnerKey accessKey) {

        static Organization of(OrganizationEntity organization, Counts counts, OwnerKey key) {
            return new Organization(organization.id, organization.name, organization.createdAt,
                    organization.suspendedAt != null, organization.suspendedAt,
                    counts == null ? null : CountsJson.of(counts), key);
        }
    }

    public record OrganizationList(long totalResults, int startIndex, int itemsPerPage, List<Organization> items) {
    }

    private final OrganizationService organizations;
    private final CurrentCaller caller;

    public OrganizationsEndpoint(OrganizationService organizations, CurrentCaller caller) {
        this.organizations = organizations;
        this.caller = caller;
    }

    @POST
    public Uni<RestResponse<Organization>> create(CreateRequest request, @Context UriInfo uriInfo) {
        if (request == null) {
            return Uni.createFrom().failure(AdminRequests.bodyRequired("{\"name\": \"acme\"}"));
        }
        return organizations.create(caller.get(), request.name())
                .map(created -> Organization.of(created.organization(), null,
                        new OwnerKey(created.ownerKey().id, created.ownerKey().name, created.token())))
                .map(organization -> RestResponse.ResponseBuilder
                        .<Organization>created(URI.create(uriInfo.getAbsolutePath() + "/" + organization.id()))
                        .entity(organization).build());
    }

    @GET
    public Uni<OrganizationList> list(@QueryParam("startIndex") String startIndex,
            @QueryParam("count") String count) {
        PageRequest page = PageRequest.of(startIndex, count, DEFAULT_COUNT, MAX_COUNT);
        return organizations.list(caller.get(), page.offset(), page.count()).map(found -> new OrganizationList(
                found.totalResults(), page.startIndex(), found.items().size(),
                found.items().stream().map(o -> Organization.of(o, null, null)).toList()));
    }

    @GET
    @Path("{id}")
    public Uni<Organization> get(@PathParam("id") String id) {
        return organizations.get(caller.get(), id(id)).map(s -> Organization.of(s.organization(), s.counts(), null));
    }

    @PATCH
    @Path("{id}")
    @Consumes({ MediaType.APPLICATION_JSON, MERGE_PATCH_JSON })
    public Uni<Organization> update(@PathParam("id") String id, PatchRequest request) {
        if (request == null) {
            return Uni.createFrom().failure(AdminRequests.bodyRequired("{\"suspended\": true}"));
        }
        return organizations.update(caller.get(), id(id), request.name(), request.suspended())
                .map(s -> Organization.of(s.organization(), s.counts(), null));
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id, @QueryParam("confirm") String confirm) {
        return organizations.delete(caller.get(), id(id), confirm).map(ignored -> RestResponse.noContent());
    }

    private static UUID id(String id) {
        return Ids.parse(id).orElseThrow(() -> ScimFailure.of(new ResourceNotFoundException("No organization " + id)));
    }
}
