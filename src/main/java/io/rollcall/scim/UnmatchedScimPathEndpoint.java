package io.rollcall.scim;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;

import io.rollcall.http.MediaTypes;

/**
 * Every path under {@code /scim/v2} that no endpoint serves answers a SCIM 404 (RFC 7644 §3.12) instead of the HTTP
 * layer's plain one. JAX-RS prefers any endpoint whose path has more literal characters, so this only catches leftovers.
 */
@Path("/scim/v2")
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class UnmatchedScimPathEndpoint {

    private static final String ANY = "{path: .*}";

    @GET
    @Path(ANY)
    public void get(@Context UriInfo uriInfo) throws ResourceNotFoundException {
        throw notFound(uriInfo);
    }

    @POST
    @Path(ANY)
    public void post(@Context UriInfo uriInfo) throws ResourceNotFoundException {
        throw notFound(uriInfo);
    }

    @PUT
    @Path(ANY)
    public void put(@Context UriInfo uriInfo) throws ResourceNotFoundException {
        throw notFound(uriInfo);
    }

    @PATCH
    @Path(ANY)
    public void patch(@Context UriInfo uriInfo) throws ResourceNotFoundException {
        throw notFound(uriInfo);
    }

    @DELETE
    @Path(ANY)
    public void delete(@Context UriInfo uriInfo) throws ResourceNotFoundException {
        throw notFound(uriInfo);
    }

    private static ResourceNotFoundException notFound(UriInfo uriInfo) {
        return new ResourceNotFoundException("No SCIM endpoint at " + uriInfo.getPath()
                + "; GET /scim/v2/ResourceTypes lists the endpoints this server serves");
    }
}
