package io.rollcall.service;

import java.util.List;
import java.util.function.Supplier;

import io.rollcall.store.GroupMember;
import io.rollcall.store.StoredResource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A group as of one moment: its row, version and roles, and its members read from the same snapshot, so that the
 * version — the ETag — counts exactly the members shown (RFC 7644 §3.14). The snapshot holds a pooled connection until
 * {@link #members()} ends, fails or is cancelled, or until {@link #release()}; every snapshot must end one of the two
 * ways.
 */
public final class GroupSnapshot {

    private final StoredResource group;
    private final Multi<List<GroupMember>> members;
    private final Supplier<Uni<Void>> end;

    GroupSnapshot(StoredResource group, Multi<List<GroupMember>> members, Supplier<Uni<Void>> end) {
        this.group = group;
        this.members = members.onTermination().call((failure, cancelled) -> end.get());
        this.end = end;
    }

    public StoredResource group() {
        return group;
    }

    /** Every member, in id order, in batches read as they are requested; the snapshot ends with the stream. */
    public Multi<List<GroupMember>> members() {
        return members;
    }

    /** Ends the snapshot without reading the members (an answer that does not show them). */
    public Uni<Void> release() {
        return end.get();
    }
}
