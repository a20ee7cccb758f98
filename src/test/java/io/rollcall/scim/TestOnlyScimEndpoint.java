package io.rollcall.scim;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.GenericScimResource;

import io.rollcall.http.MediaTypes;

/**
 * Test-only endpoints (compiled from src/test, never shipped) that exercise the SCIM body reader and the 500 path before
 * the resource endpoints that use them exist.
 */
@Path("/scim/v2/TestOnly")
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
@Consumes({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class TestOnlyScimEndpoint {

    @POST
    @Path("echo")
    public GenericScimResource echo(ObjectNode body) {
        return new GenericScimResource(body);
    }

    @POST
    @Path("out-of-memory")
    public GenericScimResource outOfMemory() {
        throw new OutOfMemoryError("Java heap space");
    }

    @POST
    @Path("fail")
    public GenericScimResource fail() {
        throw new IllegalStateException("secret internals at io.rollcall.store.Secret (password=hunter2)");
    }
}
