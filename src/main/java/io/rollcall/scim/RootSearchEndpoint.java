package io.rollcall.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.SearchRequest;

import io.rollcall.auth.CurrentCaller;
import io.rollcall.config.RollcallConfig;
import io.rollcall.http.MediaTypes;
import io.rollcall.resource.Paging;
import io.rollcall.resource.ResourceQuery;
import io.rollcall.service.RootSearchService;
import io.rollcall.service.PageBatches;
import io.rollcall.store.CrossTypeReads.Hit;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /scim/v2/.search} (RFC 7644 §3.4.3): one query across Users and Groups, filtered, sorted and paged as one
 * result set in PostgreSQL ({@link RootSearchService}); {@code totalResults} counts both types.
 * <ul>
 * <li>Filter (RFC 7644 §3.4.2): an attribute one type's schemas lack but the other's have has no value in that type
 * ({@code userName sw "a"} matches no group, {@code not (userName pr)} every group); an attribute neither has is a 400
 * {@code invalidFilter}.</li>
 * <li>Order: users and groups are sorted together by {@code sortBy}, not one type after the other. A type without the
 * attribute ({@code userName} for a group) takes part with no value for it, so its resources come last ascending and
 * first descending (§3.4.2.3); ties, these included, are broken by id. {@code sortBy} that neither type has is a 400
 * {@code invalidValue}, as is one that cannot be sorted by in a type that has it. Without {@code sortBy}: by
 * {@code meta.created}, oldest first, as the Users and Groups lists are.</li>
 * <li>Paging: the page is chosen first (types and ids), then its resources are read by id. It ends before a resource
 * that could not be read with it: one deleted in between, or a user past the page's budget of groups and roles
 * ({@code UserService.PAGE_RELATION_ROWS}); {@code itemsPerPage} says how many came, and continuing at
 * {@code startIndex + itemsPerPage} skips none (§3.4.2.4). With {@code "cursor"} (RFC 9865 §3) the page is the rows
 * after the cursor's position in the same order, and {@code nextCursor} follows the last resource shown.</li>
 * </ul>
 */
@Path("/scim/v2/.search")
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
@Consumes({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class RootSearchEndpoint {

    /** What the root search's cursors are bound to in place of a resource type. */
    private static final String ACROSS_TYPES = "*";

    /** Reads the resources of one type on a page, rendered and projected, by id. */
    private interface Reader {
        Uni<Map<UUID, Object>> byIds(ListQuery query, List<UUID> ids, ScimLocations locations) throws ScimException;
    }

    /** Indexed as {@link RootSearchService#USERS} and {@link RootSearchService#GROUPS}. */
    private final List<Reader> readers;
    private final UsersEndpoint users;
    private final GroupsEndpoint groups;
    private final RootSearchService search;
    private final CurrentCaller caller;
    private final RollcallConfig config;
    private final Cursors cursors;

    public RootSearchEndpoint(UsersEndpoint users, GroupsEndpoint groups, RootSearchService search, CurrentCaller caller,
            RollcallConfig config, Cursors cursors) {
        this.readers = List.of(users::byIds, groups::byIds);
        this.users = users;
        this.groups = groups;
        this.search = search;
        this.caller = caller;
        this.config = config;
        this.cursors = cursors;
    }

    @POST
    public Uni<Object> search(SearchRequest request, @Context UriInfo uriInfo) throws ScimException {
        ListQuery query = ListQuery.fromSearchRequest(request, config.scim());
        ScimLocations locations = ScimLocations.of(uriInfo);
        // whatever either type refuses is refused for the whole search, before any read
        AttributeProjection.of(users.schema(), query.attributes(), query.excludedAttributes());
        AttributeProjection.of(groups.schema(), query.attributes(), query.excludedAttributes());
        UUID orgId = caller.get().orgId();
        Paging paging = cursors.paging(query, orgId, ACROSS_TYPES);
        ResourceQuery resourceQuery = new ResourceQuery(query.filter(), query.sortBy(), query.descending(), paging,
                Set.of());
        if (query.count() > PageBatches.MAX_ITEMS) {
            // a big page is read and written a batch at a time; its nextCursor follows the last resource written
            return search.stream(caller.get(), resourceQuery, users.schema(), groups.schema(),
                    batch -> ScimRequests.unchecked(() -> resources(query, batch, locations)))
                    .map(page -> ListResponseBodies.streamed(page.totalResults(), page.batches(), resource -> resource,
                            query.answeredStartIndex(),
                            cursors.previous(query, orgId, ACROSS_TYPES, paging, page.keyset()),
                            written -> cursors.next(query, orgId, ACROSS_TYPES, paging, page.keyset(), written)));
        }
        return search.search(caller.get(), resourceQuery, users.schema(), groups.schema())
                .chain(page -> ScimRequests.unchecked(() -> resources(query, page.items(), locations))
                        .map(resources -> ListResponseBodies.of(page.totalResults(), resources,
                                query.answeredStartIndex(),
                                cursors.previous(query, orgId, ACROSS_TYPES, paging, page.keyset()),
                                cursors.next(query, orgId, ACROSS_TYPES, paging, page.keyset(), resources.size()))));
    }

    /** The page's resources in the page's order, up to the first that could not be read (see the class comment). */
    private Uni<List<Object>> resources(ListQuery query, List<Hit> hits, ScimLocations locations) throws ScimException {
        List<Uni<Map<UUID, Object>>> perType = new ArrayList<>();
        for (int part = 0; part < readers.size(); part++) {
            int index = part;
            List<UUID> ids = hits.stream().filter(hit -> hit.part() == index).map(Hit::id).toList();
            perType.add(ids.isEmpty() ? Uni.createFrom().item(Map.of())
                    : readers.get(part).byIds(query, ids, locations));
        }
        return Uni.join().all(perType).andFailFast().map(found -> {
            List<Object> resources = new ArrayList<>(hits.size());
            for (Hit hit : hits) {
                Object resource = found.get(hit.part()).get(hit.id());
                if (resource == null) {
                    break;
                }
                resources.add(resource);
            }
            return resources;
        });
    }
}
