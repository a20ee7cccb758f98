package io.rollcall.service;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;

/** What a custom role's write changed, in the audit log's terms, and whose roles its deletion takes away. */
final class RoleChanges {

    private RoleChanges() {
    }

    /** The attributes a create or replace sets. */
    static List<String> written(RoleDefinition definition) {
        List<String> names = new ArrayList<>();
        if (definition.name() != null) {
            names.add("name");
        }
        if (definition.description() != null) {
            names.add("description");
        }
        if (definition.value() != null) {
            names.add("value");
        }
        if (definition.policies() != null) {
            names.add("policies");
        }
        if (definition.permissions() != null) {
            names.add("permissions");
        }
        if (definition.copyFrom() != null) {
            names.add("copyFrom");
        }
        return names;
    }

    /** Deleting a role changes the roles of every user holding it, directly or through groups. */
    static Uni<Void> rolesGone(AuditedChange change, List<UUID> holders) {
        holders.forEach(change::userRolesChanged);
        return Uni.createFrom().voidItem();
    }
}
