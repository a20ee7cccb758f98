package io.rollcall.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.rollcall.admin.UsersAdminEndpoint.Via;
import io.rollcall.resource.SchemaUrns;
import io.rollcall.service.RoleDefinition;
import io.rollcall.service.ScimFailure;
import io.rollcall.store.RoleHolder;
import io.rollcall.store.StoredResource;
import io.vertx.core.json.JsonObject;

/** The admin API's JSON shapes for roles. */
public final class RoleJson {

    private RoleJson() {
    }

    /**
     * {@code POST /admin/v1/roles} and {@code PUT /admin/v1/roles/{id}}: a custom role from policies (ids or names)
     * and/or ticked permissions; {@code value} optional (derived from the name). A ticked permission is its key (in
     * every workspace) or {@code {"key": "campaigns:launch", "workspaces": ["<id or name>", …]}} (only there).
     */
    public record RoleRequest(String name, String description, String value, List<String> policies,
            List<Object> permissions) {

        RoleDefinition definition(String copyFrom) {
            return new RoleDefinition(name, description, value, policies == null ? List.of() : policies,
                    permissions == null ? null : ticks(permissions), copyFrom);
        }

        /** The keys as {@code RoleDefinition} takes them: {@code key}, or {@code key@workspace} once per workspace. */
        private static List<String> ticks(List<Object> permissions) {
            List<String> ticks = new ArrayList<>();
            for (Object permission : permissions) {
                if (permission == null || permission instanceof String) {
                    ticks.add((String) permission);
                    continue;
                }
                if (!(permission instanceof Map<?, ?> scoped) || !(scoped.get("key") instanceof String key)
                        || !(scoped.get("workspaces") instanceof List<?> workspaces)
                        || !Set.of("key", "workspaces").containsAll(scoped.keySet())) {
                    throw ScimFailure.of(BadRequestException.invalidValue("A permission is a key such as "
                            + "\"campaigns:read\" (all workspaces) or {\"key\": \"campaigns:launch\", \"workspaces\": "
                            + "[\"<workspace id or name>\"]}; not " + permission));
                }
                if (workspaces.isEmpty()) {
                    throw ScimFailure.of(BadRequestException.invalidValue("'" + key + "' names no workspace: list at "
                            + "least one, or send the plain key for all workspaces"));
                }
                for (Object workspace : workspaces) {
                    if (!(workspace instanceof String name) || name.isBlank()) {
                        throw ScimFailure.of(BadRequestException.invalidValue("The workspaces of '" + key + "' are "
                                + "workspace ids or names (strings); not " + workspace));
                    }
                    ticks.add(key + "@" + name);
                }
            }
            return ticks;
        }
    }

    /** {@code POST /admin/v1/roles/{id}/duplicate}: the copy's name and, optionally, description. */
    public record DuplicateRequest(String name, String description, String value) {
    }

    /**
     * A holder of the role: {@code bindingId} is the binding that makes it one, what
     * {@code DELETE /admin/v1/{users|groups}/{id}/roles/{bindingId}} takes; for a user holding the role through a group,
     * {@code via} names that group and {@code bindingId} is the group's binding (the user cannot lose it alone).
     * {@code lastModified} is a user's {@code meta.lastModified}, {@code lastUsedAt} an access key's last use. There is
     * no last login: people sign in at their identity provider, which does not tell Rollcall over SCIM.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Member(String kind, String id, String display, String workspace, String source, String bindingId,
            String displayName, Instant lastModified, Instant lastUsedAt, Via via) {

        static Member of(RoleHolder member) {
            return new Member(member.kind(), member.id().toString(), member.display(), member.workspace(),
                    member.source(), member.bindingId().toString(), member.displayName(), member.lastModified(),
                    member.lastUsedAt(), member.viaGroupId() == null ? null
                            : new Via(member.viaGroupId().toString(), member.viaGroup()));
        }
    }

    /** {@code GET /admin/v1/roles/{id}/members}: one page of the role's holders, as the users list pages. */
    public record MemberList(long totalResults, int startIndex, int itemsPerPage, List<Member> items) {
    }

    /** A role with its policies, permissions and counts; its holders are paged apart ({@link MemberList}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Role(String id, String value, String name, String description, String type, List<Object> policies,
            List<Object> permissions, Map<String, Object> counts, long version, Instant createdAt, Instant updatedAt) {

        /**
         * @param scoped the permissions the role ticks only in some workspaces (key → workspace ids): shown as
         *               {@code {"key", "workspaces"}}, the others as their keys
         */
        static Role of(StoredResource stored, Map<String, List<String>> scoped) {
            JsonObject data = new JsonObject(stored.data());
            JsonObject access = data.getJsonObject(SchemaUrns.ROLE_ACCESS);
            List<Object> permissions = new ArrayList<>();
            for (Object key : access.getJsonArray("permissions")) {
                List<String> workspaces = scoped == null ? null : scoped.get(key);
                permissions.add(workspaces == null ? key : new ScopedPermission((String) key, workspaces));
            }
            return new Role(stored.id().toString(), access.getString("value"), data.getString("displayName"),
                    data.getString("description"), access.getString("type"), access.getJsonArray("policies").getList(),
                    permissions, access.getJsonObject("counts").getMap(),
                    stored.version(), stored.created(), stored.lastModified());
        }
    }

    /** A permission the role grants only in these workspaces (ids). */
    public record ScopedPermission(String key, List<String> workspaces) {
    }

    public record RoleList(long totalResults, List<Role> items) {
    }
}
