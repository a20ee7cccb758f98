package io.rollcall.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import io.rollcall.store.CrossTypeReads;
import io.rollcall.store.CrossTypeReads.Hit;
import io.rollcall.store.CrossTypeReads.Part;
import io.rollcall.store.ScimTables;
import io.rollcall.store.query.FilterToSql;
import io.rollcall.store.query.ResourceTable;
import io.rollcall.store.query.SortToSql;
import io.rollcall.store.query.SqlFragment;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /scim/v2/.search} (RFC 7644 §3.4.3): one query across Users and Groups, filtered, sorted and paged as one
 * result set in PostgreSQL ({@link CrossTypeReads}); {@code totalResults} counts both types.
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
 * {@code startIndex + itemsPerPage} skips none (§3.4.2.4).</li>
 * </ul>
 */
@Path("/scim/v2/.search")
@Produces({ ScimMediaTypes.SCIM_JSON, ScimMediaTypes.JSON })
@Consumes({ ScimMediaTypes.SCIM_JSON, ScimMediaTypes.JSON })
public class RootSearchEndpoint {

    /** Reads the resources of one type on a page, rendered and projected, by id. */
    private interface Reader {
        Uni<Map<UUID, Object>> byIds(ListQuery query, List<UUID> ids, ScimLocations locations) throws ScimException;
    }

    /** A resource type taking part in the root search. */
    private record SearchedType(ResourceTable table, ResourceSchema schema, Reader reader) {
    }

    private final List<SearchedType> types;
    private final List<ResourceSchema> schemas;
    private final CrossTypeReads reads;
    private final CurrentCaller caller;
    private final RollcallConfig config;

    public RootSearchEndpoint(UsersEndpoint users, GroupsEndpoint groups, CrossTypeReads reads, CurrentCaller caller,
            RollcallConfig config) {
        this.types = List.of(new SearchedType(ScimTables.USERS, users.schema(), users::byIds),
                new SearchedType(ScimTables.GROUPS, groups.schema(), groups::byIds));
        this.schemas = types.stream().map(SearchedType::schema).toList();
        this.reads = reads;
        this.caller = caller;
        this.config = config;
    }

    @POST
    public Uni<Object> search(SearchRequest request, @Context UriInfo uriInfo) throws ScimException {
        ListQuery query = ListQuery.fromSearchRequest(request, config.scim());
        ScimLocations locations = ScimLocations.of(uriInfo);
        List<Part> parts = parts(query);
        boolean descending = query.sortBy() != null && query.descending();
        return reads.search(caller.get().orgId(), parts, descending, query.offset(), query.count())
                .chain(page -> ScimRequests.unchecked(() -> resources(query, page.items(), locations))
                        .map(resources -> ListResponseBodies.of(page.totalResults(), resources, query.startIndex())));
    }

    /** Each type's filter and sort key; whatever a type refuses is refused for the whole search, before any read. */
    private List<Part> parts(ListQuery query) throws ScimException {
        List<Part> parts = new ArrayList<>();
        int nextParameter = 2;
        boolean sortable = false;
        for (SearchedType type : types) {
            AttributeProjection.of(type.schema(), query.attributes(), query.excludedAttributes());
            SqlFragment filter = null;
            if (query.filter() != null) {
                filter = FilterToSql.translateAcrossTypes(query.filter(), type.table(), type.schema(), schemas,
                        nextParameter);
                nextParameter += filter.parameters().size();
            }
            Optional<String> sortKey = query.sortBy() == null ? Optional.of(SortToSql.defaultKey(type.table()))
                    : SortToSql.key(query.sortBy(), type.table(), type.schema());
            sortable |= sortKey.isPresent();
            parts.add(new Part(type.table(), filter, sortKey.orElse(null)));
        }
        if (!sortable) {
            throw SortToSql.unknown(query.sortBy());
        }
        return parts;
    }

    /** The page's resources in the page's order, up to the first that could not be read (see the class comment). */
    private Uni<List<Object>> resources(ListQuery query, List<Hit> hits, ScimLocations locations) throws ScimException {
        List<Uni<Map<UUID, Object>>> perType = new ArrayList<>();
        for (int part = 0; part < types.size(); part++) {
            int index = part;
            List<UUID> ids = hits.stream().filter(hit -> hit.part() == index).map(Hit::id).toList();
            perType.add(ids.isEmpty() ? Uni.createFrom().item(Map.of())
                    : types.get(part).reader().byIds(query, ids, locations));
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
