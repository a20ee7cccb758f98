package io.rollcall.admin;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.rollcall.admin.PolicyJson.Policy;
import io.rollcall.admin.PolicyJson.PolicyList;
import io.rollcall.admin.PolicyJson.PolicyRequest;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.PolicyService;
import io.rollcall.service.ScimFailure;
import io.rollcall.store.PolicyRow;
import io.smallrye.mutiny.Uni;

/**
 * {@code /admin/v1/policies}: the managed policies and the organization's custom ones (not those private to a role).
 * Reading needs {@code roles:read}; creating, replacing and deleting custom policies needs {@code roles:manage}; managed
 * policies refuse every write with 400 {@code mutability}. {@code ?type=managed|organization} narrows the list.
 */
@Path("/admin/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PoliciesEndpoint {

    private static final String EXAMPLE = "{\"name\": \"Campaign launch\", \"statements\": [{\"effect\": \"allow\", "
            + "\"permissions\": [\"campaigns:*\"], \"resources\": [\"*\"]}]}";

    private final PolicyService policies;
    private final CurrentCaller caller;

    public PoliciesEndpoint(PolicyService policies, CurrentCaller caller) {
        this.policies = policies;
        this.caller = caller;
    }

    @GET
    public Uni<PolicyList> list(@QueryParam("type") String type) {
        if (type != null && !type.equals(PolicyRow.MANAGED) && !type.equals(PolicyRow.ORGANIZATION)) {
            return Uni.createFrom().failure(ScimFailure.of(BadRequestException.invalidValue("'type' is '" + type
                    + "'; give managed or organization, or leave it out for both")));
        }
        return policies.list(caller.get()).map(all -> {
            List<Policy> items = all.stream().filter(p -> type == null || p.type().equals(type)).map(Policy::of).toList();
            return new PolicyList(items.size(), items);
        });
    }

    @GET
    @Path("{id}")
    public Uni<Policy> get(@PathParam("id") String id) {
        return policies.get(caller.get(), AdminRequests.id(id, "policy")).map(Policy::of);
    }

    @POST
    public Uni<RestResponse<Policy>> create(PolicyRequest request, @Context UriInfo uriInfo) {
        if (request == null) {
            return Uni.createFrom().failure(AdminRequests.bodyRequired(EXAMPLE));
        }
        return policies.create(caller.get(), request.draft())
                .map(Policy::of)
                .map(policy -> RestResponse.ResponseBuilder
                        .<Policy>created(URI.create(uriInfo.getAbsolutePath() + "/" + policy.id()))
                        .entity(policy).build());
    }

    @PUT
    @Path("{id}")
    public Uni<Policy> replace(@PathParam("id") String id, PolicyRequest request) {
        if (request == null) {
            return Uni.createFrom().failure(AdminRequests.bodyRequired(EXAMPLE));
        }
        return policies.replace(caller.get(), AdminRequests.id(id, "policy"), request.draft()).map(Policy::of);
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return policies.delete(caller.get(), AdminRequests.id(id, "policy")).map(ignored -> RestResponse.noContent());
    }
}
