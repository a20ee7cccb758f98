package io.rollcall.scim;

import java.util.ArrayList;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.SearchRequest;

import io.rollcall.config.RollcallConfig;
import io.rollcall.store.Page;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /scim/v2/.search} (RFC 7644 §3.4.3): one query across Users and Groups. Results list the matching users
 * first, then the matching groups (each in the query's sort order), and {@code totalResults} counts both. A resource type
 * whose schemas lack an attribute the filter names simply has no matches; a filter no resource type understands is a
 * 400 {@code invalidFilter}.
 */
@Path("/scim/v2/.search")
@Produces({ ScimMediaTypes.SCIM_JSON, ScimMediaTypes.JSON })
@Consumes({ ScimMediaTypes.SCIM_JSON, ScimMediaTypes.JSON })
public class RootSearchEndpoint {

    /** A resource type taking part in the root search. */
    private interface Searchable {
        Uni<Page<Object>> page(ListQuery query, int offset, int limit, ScimLocations locations)
                throws ScimException;
    }

    private final List<Searchable> types;
    private final RollcallConfig config;

    public RootSearchEndpoint(UsersEndpoint users, GroupsEndpoint groups, RollcallConfig config) {
        this.types = List.of(users::page, groups::page);
        this.config = config;
    }

    @POST
    public Uni<Object> search(SearchRequest request, @Context UriInfo uriInfo)
            throws ScimException {
        ListQuery query = ListQuery.fromSearchRequest(request, config.scim());
        ScimLocations locations = ScimLocations.of(uriInfo);
        List<Searchable> understood = new ArrayList<>();
        BadRequestException firstRefusal = null;
        for (Searchable type : types) {
            try {
                type.page(query, 0, 0, locations);
                understood.add(type);
            } catch (BadRequestException e) {
                if (!e.getMessage().startsWith("Unknown attribute")) {
                    throw e;
                }
                firstRefusal = firstRefusal == null ? e : firstRefusal;
            }
        }
        if (understood.isEmpty()) {
            throw firstRefusal;
        }
        return collect(understood, 0, query, query.offset(), query.count(), 0, new ArrayList<>(), locations)
                .map(total -> ListResponseBodies.of(total.totalResults(), total.items(), query.startIndex()));
    }

    /**
     * Walks the types in order, skipping {@code offset} results and taking up to {@code limit}, counting all. A type
     * that answers fewer results than it has left (a page cut short, see {@code UserService.PAGE_RELATION_ROWS}) ends
     * the page there: the next page starts after its last result, so none is skipped.
     */
    private Uni<Page<Object>> collect(List<Searchable> understood, int index, ListQuery query, int offset,
            int limit, long total, List<Object> taken, ScimLocations locations) throws ScimException {
        if (index == understood.size()) {
            return Uni.createFrom().item(new Page<>(total, taken));
        }
        return understood.get(index).page(query, offset, limit, locations).chain(page -> {
            taken.addAll(page.items());
            int skippedHere = (int) Math.min(offset, page.totalResults());
            long leftHere = page.totalResults() - skippedHere;
            boolean cutShort = page.items().size() < Math.min(limit, leftHere);
            return ScimRequests.unchecked(() -> collect(understood, index + 1, query, offset - skippedHere,
                    cutShort ? 0 : limit - page.items().size(), total + page.totalResults(), taken, locations));
        });
    }
}
