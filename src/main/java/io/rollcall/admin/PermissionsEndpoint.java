package io.rollcall.admin;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.rollcall.access.Permission;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.PermissionService;

/**
 * {@code GET /admin/v1/permissions}: the closed permission catalogue roles and policies are made of, with its version,
 * grouped by section. Needs {@code roles:read}.
 *
 * <pre>
 * {"version": 1, "sections": [{"name": "Campaigns", "description": "Broadcast campaigns: …", "permissions": [
 *     {"key": "campaigns:launch", "level": "workspace", "description": "Send or schedule campaigns"}, …]}, …]}
 * </pre>
 */
@Path("/admin/v1/permissions")
@Produces(MediaType.APPLICATION_JSON)
public class PermissionsEndpoint {

    public record PermissionJson(String key, String level, String description) {

        static PermissionJson of(Permission permission) {
            return new PermissionJson(permission.key(), permission.level().wire(), permission.description());
        }
    }

    public record SectionJson(String name, String description, List<PermissionJson> permissions) {
    }

    public record CatalogueJson(int version, List<SectionJson> sections) {
    }

    private final PermissionService permissions;
    private final CurrentCaller caller;

    public PermissionsEndpoint(PermissionService permissions, CurrentCaller caller) {
        this.permissions = permissions;
        this.caller = caller;
    }

    @GET
    public CatalogueJson catalogue() {
        PermissionService.Catalogue catalogue = permissions.catalogue(caller.get());
        return new CatalogueJson(catalogue.version(), catalogue.sections().stream()
                .map(section -> new SectionJson(section.name(), section.description(),
                        section.permissions().stream().map(PermissionJson::of).toList()))
                .toList());
    }
}
