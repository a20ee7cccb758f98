package io.rollcall.service;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.rollcall.access.Principal;
import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.ResourceQuery;
import io.rollcall.store.CrossTypeReads;
import io.rollcall.store.CrossTypeReads.Hit;
import io.rollcall.store.Page;
import io.rollcall.store.ResourceReads;
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
    private final ResourceReads resources;

    public RootSearchService(CrossTypeReads reads, ResourceReads resources) {
        this.reads = reads;
        this.resources = resources;
    }

    /**
     * @param users  how the query's attribute paths resolve for users
     * @param groups the same for groups
     */
    public Uni<Page<Hit>> search(Principal caller, ResourceQuery query, AttributeResolver users, AttributeResolver groups) {
        return reads.search(caller.orgId(), List.of(new CrossTypeReads.Part(ScimTables.USERS, users),
                new CrossTypeReads.Part(ScimTables.GROUPS, groups)), query);
    }

    /**
     * {@link #search}, for pages of any size: which resources are on the page is read first, and how big each one's
     * document is, then the resources themselves a batch at a time as the answer is written, batches bounded in
     * resources and in bytes ({@link PageBatches}), up to the first resource that could not be read.
     *
     * @param reader reads a batch of the page: its resources in its order, up to the first that could not be read
     */
    public <R> Uni<StreamedPage<R>> stream(Principal caller, ResourceQuery query, AttributeResolver users,
            AttributeResolver groups, Function<List<Hit>, Uni<List<R>>> reader) {
        return search(caller, query, users, groups).chain(page -> resources
                .documentBytes(ScimTables.USERS, caller.orgId(), idsOf(page.items(), USERS))
                .chain(userBytes -> resources.documentBytes(ScimTables.GROUPS, caller.orgId(),
                        idsOf(page.items(), GROUPS)).map(groupBytes -> new StreamedPage<>(page.totalResults(),
                                PageBatches.read(page.items(), hit -> (hit.part() == USERS ? userBytes : groupBytes)
                                        .getOrDefault(hit.id(), 0L), reader), page.keyset()))));
    }

    private static List<UUID> idsOf(List<Hit> hits, int part) {
        return hits.stream().filter(hit -> hit.part() == part).map(Hit::id).toList();
    }
}
