package io.rollcall.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a group write changed, in the audit log's and the change events' terms: {@code group.created},
 * {@code group.updated} with the names of the document's attributes that changed, and {@code group.members_changed}
 * with the member ids a PATCH added and removed (a PUT, which replaces the whole list, names the list it set as
 * {@code members}). Role bindings are announced where they change ({@link RoleAssignments}).
 */
final class GroupChanges {

    private GroupChanges() {
    }

    static void recordCreate(AuditedChange change, UUID id, GroupWrite write) {
        List<String> names = new ArrayList<>(new java.util.TreeSet<>(attributes(write.data()).fieldNames()));
        if (write.members() != null && !write.members().isEmpty()) {
            names.add("members");
        }
        if (write.roles() != null) {
            names.add("roles");
        }
        change.resource(id).attributes(names).event("group.created", "Group", id, UserChanges.payload(names));
    }

    /** {@code group.updated} when any attribute of the document differs. */
    static void recordDocument(AuditedChange change, UUID id, String storedData, GroupWrite write) {
        JsonObject before = attributes(storedData);
        JsonObject after = attributes(write.data());
        Set<String> names = new java.util.TreeSet<>(before.fieldNames());
        names.addAll(after.fieldNames());
        List<String> changed = names.stream().filter(name -> !Objects.equals(before.getValue(name), after.getValue(name)))
                .toList();
        if (!changed.isEmpty()) {
            change.attributes(changed).event("group.updated", "Group", id, UserChanges.payload(changed));
        }
    }

    /** {@code group.members_changed} when the changes touch membership. */
    static void recordMembers(AuditedChange change, UUID id, List<GroupMemberChange> changes) {
        JsonArray added = new JsonArray();
        JsonArray removed = new JsonArray();
        JsonArray replaced = null;
        for (GroupMemberChange memberChange : changes) {
            if (memberChange instanceof GroupMemberChange.Add add) {
                add.members().forEach(member -> added.add(member.id().toString()));
            } else if (memberChange instanceof GroupMemberChange.Remove remove) {
                remove.ids().forEach(member -> removed.add(member.toString()));
            } else if (memberChange instanceof GroupMemberChange.Replace replace) {
                replaced = new JsonArray();
                for (GroupMemberChange.Member member : replace.members()) {
                    replaced.add(member.id().toString());
                }
            }
        }
        if (added.isEmpty() && removed.isEmpty() && replaced == null) {
            return;
        }
        JsonObject payload = new JsonObject().put("added", added).put("removed", removed);
        if (replaced != null) {
            payload.put("members", replaced);
        }
        change.attribute("members").event("group.members_changed", "Group", id, payload.encode());
    }

    private static JsonObject attributes(String data) {
        JsonObject document = new JsonObject(data).copy();
        document.remove("schemas");
        document.remove("members");
        return document;
    }
}
