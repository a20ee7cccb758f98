package io.rollcall.admin;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.unboundid.scim2.common.exceptions.ForbiddenException;

import io.rollcall.access.Principal;
import io.rollcall.admin.RoleBindingJson.RoleRef;
import io.rollcall.admin.RoleBindingJson.WorkspaceRef;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.ScimFailure;
import io.rollcall.service.UserService;
import io.rollcall.store.BindingRow;
import io.rollcall.store.StoredResource;
import io.rollcall.store.UserRelations;
import io.rollcall.store.UserView;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /admin/v1/users[?search=words&startIndex=1&count=50]} and {@code GET /admin/v1/users/{id}}: the users an
 * identity provider pushed, as an administrator looks for them (the console's Users page and "Select users" panel).
 * Needs {@code users:read}; a user's {@code roles} (every binding reaching it: its own and its groups') need
 * {@code roles:read} too. Users are written over SCIM only; their roles through {@code /admin/v1/users/{id}/roles}.
 */
// a template, not the literal /admin/v1/users: a literal root would win every /admin/v1/users/... request, and
// PrincipalRolesEndpoint's /admin/v1/{principals: users|groups}/{id}/roles would no longer be reached
@Path("/admin/v1/{users: users}")
@Produces(MediaType.APPLICATION_JSON)
public class UsersAdminEndpoint {

    private static final int DEFAULT_COUNT = 50;
    private static final int MAX_COUNT = 200;

    /**
     * A user as lists show it; {@code roles}: the display names of its direct bindings; {@code lastModified}: when its
     * SCIM record last changed (Rollcall sees no sign-ins, so there is no last login).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UserSummary(String id, String userName, String displayName, boolean active, String email,
            Instant lastModified, List<String> roles) {

        static UserSummary of(UserView view) {
            StoredResource stored = view.stored();
            JsonObject data = new JsonObject(stored.data());
            String display = data.getString("displayName");
            if (display == null && data.getJsonObject("name") != null) {
                display = data.getJsonObject("name").getString("formatted");
            }
            String email = null;
            if (data.getJsonArray("emails") != null && !data.getJsonArray("emails").isEmpty()) {
                for (int i = 0; i < data.getJsonArray("emails").size(); i++) {
                    JsonObject candidate = data.getJsonArray("emails").getJsonObject(i);
                    if (email == null || Boolean.TRUE.equals(candidate.getBoolean("primary"))) {
                        email = candidate.getString("value");
                    }
                }
            }
            UserRelations relations = view.relations();
            return new UserSummary(stored.id().toString(), data.getString("userName"), display,
                    !Boolean.FALSE.equals(data.getBoolean("active")), email, stored.lastModified(),
                    relations.roles() == null ? null
                            : relations.roles().stream().map(UserRelations.Role::display).distinct().toList());
        }
    }

    public record UserList(long totalResults, int startIndex, int itemsPerPage, List<UserSummary> items) {
    }

    /** A group a binding reaches the user through; null for the user's own bindings. */
    public record Via(String id, String display) {
    }

    /**
     * A binding reaching the user: {@code source} scim (its IdP), local (an administrator) or system (the fallback
     * role); {@code via} the group it comes through. Only direct, non-scim bindings are removed in the console.
     */
    public record EffectiveBinding(String id, RoleRef role, WorkspaceRef workspace, String source, Via via) {

        static EffectiveBinding of(BindingRow row) {
            return new EffectiveBinding(row.id().toString(),
                    new RoleRef(row.roleId().toString(), row.roleValue(), row.roleName()),
                    row.workspaceId() == null ? null : new WorkspaceRef(row.workspaceId().toString(), row.workspaceName()),
                    row.source(), "group".equals(row.principalKind())
                            ? new Via(row.principalId().toString(), row.groupDisplay()) : null);
        }
    }

    public record UserDetail(String id, String userName, String displayName, boolean active, String email,
            Instant lastModified, List<EffectiveBinding> roles) {
    }

    private final UserService users;
    private final CurrentCaller caller;

    public UsersAdminEndpoint(UserService users, CurrentCaller caller) {
        this.users = users;
        this.caller = caller;
    }

    /** @param search words found in the user name, display name or formatted name (any case) */
    @GET
    public Uni<UserList> list(@QueryParam("search") String search, @QueryParam("startIndex") String startIndex,
            @QueryParam("count") String count) {
        Principal principal = require("users:read", "list users");
        PageRequest page = PageRequest.of(startIndex, count, DEFAULT_COUNT, MAX_COUNT);
        return users.list(principal, search, page.offset(), page.count())
                .map(found -> {
                    List<UserSummary> items = found.items().stream().map(UserSummary::of).toList();
                    return new UserList(found.totalResults(), page.startIndex(), items.size(), items);
                });
    }

    @GET
    @Path("{id}")
    public Uni<UserDetail> get(@PathParam("id") String id) {
        Principal principal = require("users:read", "read a user");
        if (!principal.allows("roles:read")) {
            throw forbidden(principal, "roles:read", "read a user's roles");
        }
        UUID userId = AdminRequests.id(id, "user");
        return users.get(principal, userId, false, false).chain(stored -> users.effectiveAccess(principal, userId)
                .map(access -> {
                    UserSummary summary = UserSummary.of(new UserView(stored, UserRelations.NOT_READ));
                    return new UserDetail(summary.id(), summary.userName(), summary.displayName(), summary.active(),
                            summary.email(), summary.lastModified(),
                            access.bindings().stream().map(EffectiveBinding::of).toList());
                }));
    }

    private Principal require(String permission, String action) {
        Principal principal = caller.get();
        if (!principal.allows(permission)) {
            throw forbidden(principal, permission, action);
        }
        return principal;
    }

    private static ScimFailure forbidden(Principal principal, String permission, String action) {
        return ScimFailure.of(new ForbiddenException("To " + action + " the caller needs the " + permission
                + " permission (Organization Owner has it); this key holds " + principal.roles()));
    }
}
