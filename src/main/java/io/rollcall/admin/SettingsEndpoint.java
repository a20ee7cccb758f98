package io.rollcall.admin;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.SettingsService;
import io.smallrye.mutiny.Uni;

/**
 * {@code /admin/v1/settings}: the organization's role settings. {@code GET} needs {@code organization:read}, {@code PUT}
 * {@code organization:manage}.
 *
 * <pre>
 * {"fallbackRole": "knowledge-base-user", "scimAssignableRoles": ["account-admin", "analyze-manager", ...]}
 * </pre>
 *
 * Roles are sent as values, ids or names and answered as values. A {@code PUT} without {@code scimAssignableRoles}
 * (or with null, or with {@code "scimAssignableRolesDefault": true}, as a GET answers while it is the default) puts back
 * its default: every customer-visible role but Organization Owner and SCIM Client, custom roles made later included.
 */
@Path("/admin/v1/settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SettingsEndpoint {

    public record Settings(String fallbackRole, List<String> scimAssignableRoles, Boolean scimAssignableRolesDefault) {

        static Settings of(SettingsService.SettingsView settings) {
            return new Settings(settings.fallbackRole(), settings.scimAssignableRoles(),
                    settings.scimAssignableRolesDefault());
        }
    }

    private final SettingsService settings;
    private final CurrentCaller caller;

    public SettingsEndpoint(SettingsService settings, CurrentCaller caller) {
        this.settings = settings;
        this.caller = caller;
    }

    @GET
    public Uni<Settings> get() {
        return settings.get(caller.get()).map(Settings::of);
    }

    @PUT
    public Uni<Settings> replace(Settings request) {
        if (request == null) {
            return Uni.createFrom().failure(AdminRequests.bodyRequired(
                    "{\"fallbackRole\": \"knowledge-base-user\", \"scimAssignableRoles\": [\"campaign-manager\"]}"));
        }
        // what a GET answered, sent back as it was, keeps the default a default
        boolean asDefault = Boolean.TRUE.equals(request.scimAssignableRolesDefault());
        return settings.replace(caller.get(), request.fallbackRole(), asDefault ? null : request.scimAssignableRoles())
                .map(Settings::of);
    }
}
