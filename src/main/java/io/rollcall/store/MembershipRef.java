package io.rollcall.store;

import java.util.UUID;

/** A group a resource belongs to, directly or through nested groups. */
public record MembershipRef(UUID groupId, String displayName, boolean direct) {
}
