package io.rollcall.admin;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.rollcall.access.OrganizationSettings;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.SettingsService;
import io.smallrye.mutiny.Uni;

/**
 * {@code /admin/v1/settings}: the organization's role settings. {@code GET} needs {@code organization:read}, {@code PUT}
 * (both fields required) {@code organization:manage}.
 *
 * <pre>
 * {"fallbackRole": "knowledge-base-user", "ownerAssignableOverScim": false}
 * </pre>
 *
 * {@code fallbackRole} is sent as a role value, id or name and answered as the role's value.
 */
@Path("/admin/v1/settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SettingsEndpoint {

    public record Settings(String fallbackRole, Boolean ownerAssignableOverScim) {

        static Settings of(OrganizationSettings settings) {
            return new Settings(settings.fallbackRole(), settings.ownerAssignableOverScim());
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
                    "{\"fallbackRole\": \"knowledge-base-user\", \"ownerAssignableOverScim\": false}"));
        }
        return settings.replace(caller.get(), request.fallbackRole(), request.ownerAssignableOverScim())
                .map(Settings::of);
    }
}
