package io.rollcall.admin;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.rollcall.access.Permission;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.access.Principal;
import io.rollcall.auth.CurrentCaller;

/**
 * {@code GET /admin/v1/me}: who the caller is and what it may do on the organization as a whole, so that a client (the
 * console) shows only what it may use. Any valid caller may read itself; the server checks every request anyway.
 *
 * <pre>
 * {"kind": "access_key", "id": "…", "name": "ana's console key", "roles": ["account-admin"],
 *  "permissions": ["access-keys:manage", "access-keys:read", …]}
 * </pre>
 */
@Path("/admin/v1/me")
@Produces(MediaType.APPLICATION_JSON)
public class MeEndpoint {

    /** {@code roles}: values of the roles bound to the caller; {@code permissions}: catalogue keys, catalogue order. */
    public record Me(String kind, String id, String name, List<String> roles, List<String> permissions) {
    }

    private final CurrentCaller caller;

    public MeEndpoint(CurrentCaller caller) {
        this.caller = caller;
    }

    @GET
    public Me me() {
        Principal principal = caller.get();
        return new Me(principal.kind(), principal.id().toString(), principal.name(), principal.roles(),
                PermissionCatalogue.all().stream().map(Permission::key).filter(principal::allows).toList());
    }
}
