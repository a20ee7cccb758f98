package io.rollcall.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A SCIM resource as stored: its JSON document and the metadata the SCIM layer turns into {@code id} and {@code meta}.
 *
 * @param related JSON of computed attributes read in the same statement (a user's groups), or null when not asked for
 */
public record StoredResource(UUID id, String data, long version, Instant created, Instant lastModified, String related) {

    public static StoredResource of(UserEntity user) {
        return new StoredResource(user.id, user.data, user.version, user.createdAt, user.updatedAt, null);
    }

    /** The same resource with {@code related} computed attributes. */
    public StoredResource withRelated(String computed) {
        return new StoredResource(id, data, version, created, lastModified, computed);
    }

    public static StoredResource of(GroupEntity group) {
        return new StoredResource(group.id, group.data, group.version, group.createdAt, group.updatedAt, null);
    }
}
