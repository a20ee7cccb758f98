package io.rollcall.service;

import java.util.List;
import java.util.UUID;

/** One membership delta of a group PATCH, applied in request order (RFC 7644 §3.5.2 on {@code members}). */
public sealed interface GroupMemberChange {

    /**
     * How an error names the PATCH operation the change comes from ({@code Operation 2 (add members)}); null for the
     * member list of a create or a PUT.
     */
    String operation();

    /** The error's detail, after the name of the operation the change comes from if any. */
    default String detail(String detail) {
        return operation() == null ? detail : operation() + ": " + detail;
    }

    /**
     * A member named by a request.
     *
     * @param type {@code User}, {@code Group}, or null when the request left it out (Okta does): then it is looked up
     */
    record Member(UUID id, String type) {
    }

    /** {@code add} members (already present ones are left as they are). */
    record Add(List<Member> members, String operation) implements GroupMemberChange {
    }

    /** {@code remove} these members ({@code members[value eq "…"]}, or Entra's value list). */
    record Remove(List<UUID> ids, String operation) implements GroupMemberChange {
    }

    /** {@code replace} the whole list (an empty list removes everyone); {@code remove} without a value. */
    record Replace(List<Member> members, String operation) implements GroupMemberChange {
    }
}
