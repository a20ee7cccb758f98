package io.rollcall.store;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a user's representation shows beside its stored document: its groups, directly or through nested groups
 * (RFC 7643 §4.1.2), ordered by display name, and its role bindings, ordered by role name. Either list is null when it
 * was not read (the response does not show it).
 */
public record UserRelations(List<Group> groups, List<Role> roles) {

    public static final UserRelations NOT_READ = new UserRelations(null, null);

    /** The groups and roles read, as a page's budget counts them. */
    public int rows() {
        return (groups == null ? 0 : groups.size()) + (roles == null ? 0 : roles.size());
    }

    /** A group the user is in, {@code direct}ly or through a group nested in it. */
    public record Group(UUID id, String display, boolean direct) {
    }

    /** A role binding: {@code value} is {@code role} or {@code role@workspace}; {@code source} where it came from. */
    public record Role(String value, String display, String source) {
    }

    /** From the JSON object {@link UserRepository#computed} reads: {@code {"groups": [...], "roles": [...]}}. */
    public static UserRelations fromJson(String json) {
        if (json == null) {
            return NOT_READ;
        }
        JsonObject object = new JsonObject(json);
        List<Group> groups = null;
        if (object.getValue("groups") instanceof JsonArray array) {
            groups = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                JsonObject group = array.getJsonObject(i);
                groups.add(new Group(UUID.fromString(group.getString("id")), group.getString("display"),
                        Boolean.TRUE.equals(group.getBoolean("direct"))));
            }
        }
        List<Role> roles = null;
        if (object.getValue("roles") instanceof JsonArray array) {
            roles = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                JsonObject role = array.getJsonObject(i);
                roles.add(new Role(role.getString("value"), role.getString("display"), role.getString("source")));
            }
        }
        return new UserRelations(groups, roles);
    }
}
