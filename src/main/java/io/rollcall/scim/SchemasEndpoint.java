package io.rollcall.scim;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.ForbiddenException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;
import com.unboundid.scim2.common.messages.ListResponse;

import io.rollcall.http.MediaTypes;

/** {@code GET /scim/v2/Schemas} and {@code /Schemas/{urn}} (RFC 7644 §4), served from the {@link SchemaRegistry}. */
@Path("/scim/v2/Schemas")
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class SchemasEndpoint {

    private final SchemaRegistry registry;

    public SchemasEndpoint(SchemaRegistry registry) {
        this.registry = registry;
    }

    @GET
    public ListResponse<GenericScimResource> list(@Context UriInfo uriInfo) throws ForbiddenException {
        DiscoveryQuery.refuseFilter(uriInfo);
        ScimLocations locations = ScimLocations.of(uriInfo);
        return DiscoveryDocuments.list(registry.schemas().stream().map(schema -> served(schema, locations)).toList());
    }

    @GET
    @Path("{urn}")
    public GenericScimResource get(@PathParam("urn") String urn, @Context UriInfo uriInfo)
            throws ForbiddenException, ResourceNotFoundException {
        DiscoveryQuery.refuseFilter(uriInfo);
        ObjectNode schema = registry.schema(urn).orElseThrow(() -> new ResourceNotFoundException(
                "No schema '" + urn + "'; GET /scim/v2/Schemas lists the schemas this server has"));
        return served(schema, ScimLocations.of(uriInfo));
    }

    private static GenericScimResource served(ObjectNode schema, ScimLocations locations) {
        return DiscoveryDocuments.withMeta(schema, "Schema", locations.of("/Schemas", schema.path("id").asText()));
    }
}
