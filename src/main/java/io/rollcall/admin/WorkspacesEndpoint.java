package io.rollcall.admin;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import io.rollcall.admin.WorkspaceJson.CreateRequest;
import io.rollcall.admin.WorkspaceJson.PatchRequest;
import io.rollcall.admin.WorkspaceJson.Workspace;
import io.rollcall.admin.WorkspaceJson.WorkspaceList;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.WorkspaceService;
import io.smallrye.mutiny.Uni;

/**
 * {@code /admin/v1/workspaces}: list and read need {@code workspaces:read}, create {@code workspaces:create}, change
 * {@code workspaces:manage} (in that workspace), delete {@code workspaces:delete}. Organization Owner holds them all.
 */
@Path("/admin/v1/workspaces")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WorkspacesEndpoint {

    private static final String MERGE_PATCH_JSON = "application/merge-patch+json";

    private final WorkspaceService workspaces;
    private final CurrentCaller caller;

    public WorkspacesEndpoint(WorkspaceService workspaces, CurrentCaller caller) {
        this.workspaces = workspaces;
        this.caller = caller;
    }

    @GET
    public Uni<WorkspaceList> list() {
        return workspaces.list(caller.get())
                .map(all -> new WorkspaceList(all.size(), all.stream().map(Workspace::of).toList()));
    }

    @POST
    public Uni<RestResponse<Workspace>> create(CreateRequest request, @Context UriInfo uriInfo) {
        if (request == null) {
            return Uni.createFrom().failure(AdminRequests.bodyRequired("{\"name\": \"Marketing EU\", \"description\": \"…\"}"));
        }
        return workspaces.create(caller.get(), request.name(), request.description())
                .map(Workspace::of)
                .map(workspace -> RestResponse.ResponseBuilder
                        .<Workspace>created(URI.create(uriInfo.getAbsolutePath() + "/" + workspace.id()))
                        .entity(workspace).build());
    }

    @GET
    @Path("{id}")
    public Uni<Workspace> get(@PathParam("id") String id) {
        return workspaces.get(caller.get(), AdminRequests.id(id, "workspace")).map(Workspace::of);
    }

    @PATCH
    @Path("{id}")
    @Consumes({ MediaType.APPLICATION_JSON, MERGE_PATCH_JSON })
    public Uni<Workspace> update(@PathParam("id") String id, PatchRequest request) {
        if (request == null) {
            return Uni.createFrom().failure(AdminRequests.bodyRequired("{\"name\": \"Marketing Europe\"}"));
        }
        return workspaces.update(caller.get(), AdminRequests.id(id, "workspace"), request.name(), request.description())
                .map(Workspace::of);
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> delete(@PathParam("id") String id) {
        return workspaces.delete(caller.get(), AdminRequests.id(id, "workspace")).map(ignored -> RestResponse.noContent());
    }
}
