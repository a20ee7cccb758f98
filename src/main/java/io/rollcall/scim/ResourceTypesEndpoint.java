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

/** {@code GET /scim/v2/ResourceTypes} and {@code /ResourceTypes/{name}} (RFC 7644 §4), from the {@link SchemaRegistry}. */
@Path("/scim/v2/ResourceTypes")
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class ResourceTypesEndpoint {

    private final SchemaRegistry registry;

    public ResourceTypesEndpoint(SchemaRegistry registry) {
        this.registry = registry;
    }

    @GET
    public ListResponse<GenericScimResource> list(@Context UriInfo uriInfo) throws ForbiddenException {
        DiscoveryQuery.refuseFilter(uriInfo);
        ScimLocations locations = ScimLocations.of(uriInfo);
        return DiscoveryDocuments.list(registry.resourceTypes().stream().map(type -> served(type, locations)).toList());
    }

    @GET
    @Path("{name}")
    public GenericScimResource get(@PathParam("name") String name, @Context UriInfo uriInfo)
            throws ForbiddenException, ResourceNotFoundException {
        DiscoveryQuery.refuseFilter(uriInfo);
        ObjectNode type = registry.resourceType(name).orElseThrow(() -> new ResourceNotFoundException(
                "No resource type '" + name + "'; GET /scim/v2/ResourceTypes lists the resource types this server has"));
        return served(type, ScimLocations.of(uriInfo));
    }

    private static GenericScimResource served(ObjectNode type, ScimLocations locations) {
        return DiscoveryDocuments.withMeta(type, "ResourceType", locations.of("/ResourceTypes", type.path("name").asText()));
    }
}
