package io.rollcall.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;


import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a user write changed, in the audit log's and the change events' terms: the names of the top-level attributes
 * whose values differ (never the values), {@code password} when one was set, and whether {@code active} flipped.
 */
final class UserChanges {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String SCHEMAS = "schemas";

    private UserChanges() {
    }

    /** The attributes a create sets (read as names only: a create's document is not parsed into a tree for this). */
    static List<String> written(UserWrite write) {
        List<String> names = new ArrayList<>(topLevelNames(write.data()));
        if (write.password() != null) {
            names.add("password");
        }
        if (write.roles() != null) {
            names.add("roles");
        }
        return names;
    }

    /**
     * Records on the change what a replace or patch changes: its attribute names, and the events {@code user.updated}
     * (for attributes other than {@code active}), {@code user.deactivated} or {@code user.activated}. Role bindings
     * are recorded where they change ({@link RoleAssignments}).
     */
    static void recordUpdate(AuditedChange change, UUID id, String storedData, boolean wasActive, UserWrite write) {
        JsonObject before = new JsonObject(storedData);
        JsonObject after = new JsonObject(write.data());
        Set<String> changed = new TreeSet<>();
        Set<String> names = new LinkedHashSet<>(before.fieldNames());
        names.addAll(after.fieldNames());
        names.remove(SCHEMAS);
        for (String name : names) {
            if (!Objects.equals(before.getValue(name), after.getValue(name))) {
                changed.add(name);
            }
        }
        if (write.password() != null) {
            changed.add("password");
        }
        change.attributes(changed);
        Set<String> updated = new LinkedHashSet<>(changed);
        updated.remove("active");
        if (!updated.isEmpty()) {
            change.event("user.updated", "User", id, payload(List.copyOf(updated)));
        }
        if (wasActive && !write.active()) {
            change.event("user.deactivated", "User", id, new JsonObject().put("active", false).encode());
        } else if (!wasActive && write.active()) {
            change.event("user.activated", "User", id, new JsonObject().put("active", true).encode());
        }
    }

    /** {@code {"attributes": [names]}}. */
    static String payload(List<String> names) {
        return new JsonObject().put("attributes", new JsonArray(new ArrayList<>(names))).encode();
    }

    /** The names of a JSON object's members but {@code schemas}, in order. */
    private static TreeSet<String> topLevelNames(String document) {
        TreeSet<String> names = new TreeSet<>();
        try (JsonParser parser = JSON.createParser(document)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return names;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                names.add(parser.currentName());
                parser.nextToken();
                parser.skipChildren();
            }
        } catch (IOException e) {
            // the document was written by the service from a parsed request: it is JSON
            throw new UncheckedIOException(e);
        }
        names.remove(SCHEMAS);
        return names;
    }
}
