package io.rollcall.store;

import java.util.UUID;

/**
 * A member of a group: a user or a group of the same organization.
 *
 * @param type {@code User} or {@code Group} (RFC 7643 §4.2 canonical values)
 * @param display the member's display name when read; null on writes
 */
public record GroupMember(UUID id, String type, String display) {

    public static final String USER = "User";
    public static final String GROUP = "Group";
}
