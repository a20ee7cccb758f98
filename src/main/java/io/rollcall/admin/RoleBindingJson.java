package io.rollcall.admin;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import io.rollcall.access.Principal;
import io.rollcall.service.RoleBindingService;
import io.rollcall.service.RoleBindingService.Bound;
import io.rollcall.store.BindingRow;
import io.rollcall.store.RoleBindingEntity.PrincipalKind;
import io.smallrye.mutiny.Uni;

/** The admin API's JSON shapes for the role bindings of users and groups, and what their two endpoints share. */
public final class RoleBindingJson {

    private RoleBindingJson() {
    }

    /** {@code POST …/roles}: {@code role} a value, id or name; {@code workspace} an id or name, or absent for the org. */
    public record BindRequest(String role, String workspace) {
    }

    public record RoleRef(String id, String value, String name) {
    }

    public record WorkspaceRef(String id, String name) {
    }

    /** {@code workspace} null: the binding covers the whole organization. {@code source}: scim, local or system. */
    public record Binding(String id, RoleRef role, WorkspaceRef workspace, String source) {

        static Binding of(BindingRow row) {
            return new Binding(row.id().toString(), new RoleRef(row.roleId().toString(), row.roleValue(), row.roleName()),
                    row.workspaceId() == null ? null : new WorkspaceRef(row.workspaceId().toString(), row.workspaceName()),
                    row.source());
        }
    }

    public record BindingList(int totalResults, List<Binding> items) {
    }

    static Uni<BindingList> list(RoleBindingService service, Principal caller, PrincipalKind kind,
            String id) {
        return service.list(caller, kind, AdminRequests.id(id, kind.wire()))
                .map(rows -> new BindingList(rows.size(), rows.stream().map(Binding::of).toList()));
    }

    /** 201 with {@code Location} when the binding is new, 200 when the principal held that role there already. */
    static Uni<RestResponse<Binding>> bind(RoleBindingService service, Principal caller,
            PrincipalKind kind, String id, BindRequest request, UriInfo uriInfo) {
        if (request == null) {
            return Uni.createFrom().failure(AdminRequests.bodyRequired(
                    "{\"role\": \"campaign-manager\", \"workspace\": \"Marketing EU\"}"));
        }
        UUID principalId = AdminRequests.id(id, kind.wire());
        return service.bind(caller, kind, principalId, request.role(), request.workspace()).map((Bound bound) -> {
            Binding binding = Binding.of(bound.binding());
            if (!bound.created()) {
                return RestResponse.ok(binding);
            }
            return RestResponse.ResponseBuilder
                    .<Binding>created(URI.create(uriInfo.getAbsolutePath() + "/" + binding.id()))
                    .entity(binding).build();
        });
    }

    static Uni<RestResponse<Void>> unbind(RoleBindingService service, Principal caller,
            PrincipalKind kind, String id, String bindingId) {
        UUID principalId = AdminRequests.id(id, kind.wire());
        UUID binding = AdminRequests.id(bindingId, "role binding");
        return service.unbind(caller, kind, principalId, binding).map(ignored -> RestResponse.noContent());
    }
}
