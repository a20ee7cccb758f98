package io.rollcall.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.rollcall.resource.SchemaUrns;
import io.rollcall.service.RoleDefinition;
import io.rollcall.store.RoleHolder;
import io.rollcall.store.StoredResource;
import io.vertx.core.json.JsonObject;

/** The admin API's JSON shapes for roles. */
public final class RoleJson {

    private RoleJson() {
    }

    /**
     * {@code POST /admin/v1/roles} and {@code PUT /admin/v1/roles/{id}}: a custom role from policies (ids or names)
     * and/or ticked permissions; {@code value} optional (derived from the name).
     */
    public record RoleRequest(String name, String description, String value, List<String> policies,
            List<String> permissions) {

        RoleDefinition definition(String copyFrom) {
            return new RoleDefinition(name, description, value, policies == null ? List.of() : policies, permissions,
                    copyFrom);
        }
    }

    /** {@code POST /admin/v1/roles/{id}/duplicate}: the copy's name and, optionally, description. */
    public record DuplicateRequest(String name, String description, String value) {
    }

    public record Member(String kind, String id, String display, String workspace, String source) {

        static Member of(RoleHolder member) {
            return new Member(member.kind(), member.id().toString(), member.display(), member.workspace(),
                    member.source());
        }
    }

    /** A role with its policies, permissions and counts; {@code members} only on {@code GET /admin/v1/roles/{id}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Role(String id, String value, String name, String description, String type, List<Object> policies,
            List<Object> permissions, Map<String, Object> counts, long version, Instant createdAt, Instant updatedAt,
            List<Member> members) {

        static Role of(StoredResource stored, List<RoleHolder> members) {
            JsonObject data = new JsonObject(stored.data());
            JsonObject access = data.getJsonObject(SchemaUrns.ROLE_ACCESS);
            return new Role(stored.id().toString(), access.getString("value"), data.getString("displayName"),
                    data.getString("description"), access.getString("type"), access.getJsonArray("policies").getList(),
                    access.getJsonArray("permissions").getList(), access.getJsonObject("counts").getMap(),
                    stored.version(), stored.created(), stored.lastModified(),
                    members == null ? null : members.stream().map(Member::of).toList());
        }
    }

    public record RoleList(long totalResults, List<Role> items) {
    }
}
