package io.rollcall.service;

import java.util.List;
import java.util.UUID;

/** One membership delta of a group PATCH, applied in request order (RFC 7644 §3.5.2 on {@code members}). */
public sealed interface MemberChange {

    /**
     * A member named by a request.
     *
     * @param type {@code User}, {@code Group}, or null when the request left it out (Okta does): then it is looked up
     */
    record Member(UUID id, String type) {
    }

    /** {@code add} members (already present ones are left as they are). */
    record Add(List<Member> members) implements MemberChange {
    }

    /** {@code remove} these members ({@code members[value eq "…"]}, or Entra's value list). */
    record Remove(List<UUID> ids) implements MemberChange {
    }

    /** {@code replace} the whole list (an empty list removes everyone); {@code remove} without a value. */
    record Replace(List<Member> members) implements MemberChange {
    }
}
