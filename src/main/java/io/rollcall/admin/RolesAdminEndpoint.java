package io.rollcall.admin;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ForbiddenException;

import io.rollcall.access.Principal;
import io.rollcall.admin.RoleJson.DuplicateRequest;
import io.rollcall.admin.RoleJson.Member;
import io.rollcall.admin.RoleJson.MemberList;
import io.rollcall.admin.RoleJson.Role;
import io.rollcall.admin.RoleJson.RoleList;
import io.rollcall.admin.RoleJson.RoleRequest;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.RoleDefinition;
import io.rollcall.service.RoleService;
import io.rollcall.service.ScimFailure;
import io.rollcall.store.StoredResource;
import io.smallrye.mutiny.Uni;

/**
 * {@code /admin/v1/roles}: the organization's assignable roles with their counts and, paged, their holders (reading
 * needs {@code roles:read}), and custom roles created, edited, duplicated and deleted (needs {@code roles:manage}). Managed roles change only in
 * membership; membership is changed through a user's or group's roles.
 */
@Path("/admin/v1/roles")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RolesAdminEndpoint {

    private static final String READ = "roles:read";
    private static final int MAX_PAGE = 1000;
    private static final int DEFAULT_MEMBERS = 50;
    private static final int MAX_MEMBERS = 200;

    private final RoleService roles;
    private final CurrentCaller caller;

    public RolesAdminEndpoint(RoleService roles, CurrentCaller caller) {
        this.roles = roles;
        this.caller = caller;
    }

    /**
     * @param search words found in the name, value or description (any case)
     * @param type   {@code managed} or {@code custom}
     */
    @GET
    public Uni<RoleList> list(@QueryParam("search") String search, @QueryParam("type") String type) {
        Principal principal = readable();
        if (type != null && !type.equals("managed") && !type.equals("custom")) {
            throw ScimFailure.of(BadRequestException.invalidValue("'type' is managed or custom, not '" + type + "'"));
        }
        return roles.list(principal, search, type, MAX_PAGE)
                .chain(page -> roles.scopedPermissions(principal, null).map(scoped -> new RoleList(page.totalResults(),
                        page.items().stream().map(stored -> Role.of(stored, scoped.get(stored.id()))).toList())));
    }

    @GET
    @Path("{id}")
    public Uni<Role> get(@PathParam("id") String id) {
        Principal principal = readable();
        return roles.get(principal, roleId(id)).chain(this::withScopes);
    }

    /**
     * The role's holders, a page at a time: its groups, then users by user name (those holding it through a group once
     * per such group, with {@code via}), then access keys.
     */
    @GET
    @Path("{id}/members")
    public Uni<MemberList> members(@PathParam("id") String id, @QueryParam("startIndex") String startIndex,
            @QueryParam("count") String count) {
        Principal principal = readable();
        UUID roleId = roleId(id);
        PageRequest page = PageRequest.of(startIndex, count, DEFAULT_MEMBERS, MAX_MEMBERS);
        return roles.get(principal, roleId)
                .chain(found -> roles.holders(principal, roleId, page.offset(), page.count()))
                .map(holders -> new MemberList(holders.totalResults(), page.startIndex(), holders.items().size(),
                        holders.items().stream().map(Member::of).toList()));
    }

    @POST
    public Uni<RestResponse<Role>> create(RoleRequest request, @Context UriInfo uriInfo) {
        RoleRequest body = required(request);
        return created(roles.create(caller.get(), body.definition(null)), uriInfo);
    }

    @POST
    @Path("{id}/duplicate")
    public Uni<RestResponse<Role>> duplicate(@PathParam("id") String id, DuplicateRequest request,
            @Context UriInfo uriInfo) {
        if (request == null) {
            throw ScimFailure.of(BadRequestException.invalidSyntax("Send a JSON object such as {\"name\": \"Campaign "
                    + "manager (EMEA)\"}"));
        }
        UUID source = roleId(id);
        RoleDefinition copy = new RoleDefinition(request.name(), request.description(), request.value(), List.of(), null,
                source.toString());
        // a role that is not the organization's is a 404 here, as it is at GET /admin/v1/roles/{id}
        return roles.get(caller.get(), source).chain(found -> created(roles.create(caller.get(), copy), uriInfo));
    }

    @PUT
    @Path("{id}")
    public Uni<Role> replace(@PathParam("id") String id, RoleRequest request,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        RoleRequest body = required(request);
        UUID roleId = roleId(id);
        return roles.replace(caller.get(), roleId, ifMatch, body.definition(null))
                .chain(ignored -> roles.get(caller.get(), roleId))
                .chain(this::withScopes);
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return roles.delete(caller.get(), roleId(id), ifMatch).map(ignored -> RestResponse.noContent());
    }

    private Uni<RestResponse<Role>> created(Uni<UUID> creation, UriInfo uriInfo) {
        return creation.chain(roleId -> roles.get(caller.get(), roleId))
                .chain(stored -> withScopes(stored).map(role -> RestResponse.ResponseBuilder.<Role>created(
                        URI.create(uriInfo.getBaseUri() + "admin/v1/roles/" + stored.id())).entity(role).build()));
    }

    private Uni<Role> withScopes(StoredResource stored) {
        return roles.scopedPermissions(caller.get(), stored.id())
                .map(scoped -> Role.of(stored, scoped.get(stored.id())));
    }

    private Principal readable() {
        Principal principal = caller.get();
        if (!principal.allows(READ)) {
            throw ScimFailure.of(new ForbiddenException("Reading roles needs the " + READ + " permission; this key holds "
                    + principal.roles()));
        }
        return principal;
    }

    private static RoleRequest required(RoleRequest request) {
        if (request == null) {
            throw ScimFailure.of(BadRequestException.invalidSyntax("Send a JSON object such as {\"name\": \"Campaign "
                    + "viewer\", \"permissions\": [\"campaigns:read\"]}"));
        }
        return request;
    }

    private static UUID roleId(String id) {
        return AdminRequests.id(id, "role");
    }
}
