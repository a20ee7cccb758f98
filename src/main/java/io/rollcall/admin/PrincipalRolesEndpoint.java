package io.rollcall.admin;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import io.rollcall.admin.RoleBindingJson.BindRequest;
import io.rollcall.admin.RoleBindingJson.Binding;
import io.rollcall.admin.RoleBindingJson.BindingList;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.RoleBindingService;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.smallrye.mutiny.Uni;

/**
 * {@code /admin/v1/users/{id}/roles} and {@code /admin/v1/groups/{id}/roles}: the user's or group's direct role
 * bindings. {@code GET} needs {@code roles:read}; {@code POST}
 * {@code {"role": "…", "workspace": "…"}} and {@code DELETE …/roles/{bindingId}} (the {@code id} a listing shows) need
 * {@code roles:assign}.
 */
@Path("/admin/v1/{principals: users|groups}/{id}/roles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PrincipalRolesEndpoint {

    private final RoleBindingService bindings;
    private final CurrentCaller caller;

    public PrincipalRolesEndpoint(RoleBindingService bindings, CurrentCaller caller) {
        this.bindings = bindings;
        this.caller = caller;
    }

    @GET
    public Uni<BindingList> list(@PathParam("principals") String principals, @PathParam("id") String id) {
        return RoleBindingJson.list(bindings, caller.get(), kind(principals), id);
    }

    @POST
    public Uni<RestResponse<Binding>> bind(@PathParam("principals") String principals, @PathParam("id") String id,
            BindRequest request, @Context UriInfo uriInfo) {
        return RoleBindingJson.bind(bindings, caller.get(), kind(principals), id, request, uriInfo);
    }

    @DELETE
    @Path("{bindingId}")
    public Uni<RestResponse<Void>> unbind(@PathParam("principals") String principals, @PathParam("id") String id,
            @PathParam("bindingId") String bindingId) {
        return RoleBindingJson.unbind(bindings, caller.get(), kind(principals), id, bindingId);
    }

    /** The path's {@code users} or {@code groups} (the template admits nothing else). */
    private static PrincipalKind kind(String principals) {
        return principals.equals("groups") ? PrincipalKind.GROUP : PrincipalKind.USER;
    }
}
