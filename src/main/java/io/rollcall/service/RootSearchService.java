package io.rollcall.service;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.rollcall.access.Principal;
import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.ResourceQuery;
import io.rollcall.store.CrossTypeReads;
import io.rollcall.store.CrossTypeReads.Hit;
import io.rollcall.store.Page;
import io.rollcall.store.ScimTables;
import io.smallrye.mutiny.Uni;

/**
 * The root {@code .search} (RFC 7644 §3.4.3): which users and groups are on one page of a query across both types,
 * ordered and paged together in PostgreSQL; the caller then reads each type's resources by id.
 */
@ApplicationScoped
public class RootSearchService {

    /** The index of each type in a {@link Hit#part()}. */
    public static final int USERS = 0;
    public static final int GROUPS = 1;

    private final CrossTypeReads reads;

    public RootSearchService(CrossTypeReads reads) {
        this.reads = reads;
    }

    /**
     * @param users  how the query's attribute paths resolve for users
     * @param groups the same for groups
     */
    public Uni<Page<Hit>> search(Principal caller, ResourceQuery query, AttributeResolver users, AttributeResolver groups) {
        return reads.search(caller.orgId(), List.of(new CrossTypeReads.Part(ScimTables.USERS, users),
                new CrossTypeReads.Part(ScimTables.GROUPS, groups)), query);
    }
}
