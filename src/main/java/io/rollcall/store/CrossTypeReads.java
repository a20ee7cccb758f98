package io.rollcall.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.Paging;
import io.rollcall.resource.ResourceQuery;
import io.rollcall.store.query.FilterToSql;
import io.rollcall.store.query.ResourceTable;
import io.rollcall.store.query.SortToSql;
import io.rollcall.store.query.SqlFragment;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One page of a query across resource tables (the root {@code .search}) as one statement: the tables' matching rows in
 * one {@code UNION ALL}, ordered by one sort key and paged in PostgreSQL, answering which resources (table and id) are
 * on the page, in order, and the total. The resources themselves are read afterwards, by id. A keyset page's condition
 * is written over the union's {@code sort_key} and {@code id}; PostgreSQL pushes it into each table's branch.
 */
@ApplicationScoped
public class CrossTypeReads {

    /** A resource type taking part: its table, and how attribute paths resolve against its schemas. */
    public record Part(ResourceTable table, AttributeResolver attributes) {
    }

    /**
     * A part as SQL.
     *
     * @param filter  its condition, or null for every row; parameters of all parts are numbered in one sequence from $2
     * @param sortKey what its rows sort by, or null when they have no value for the sort attribute
     */
    private record Translated(ResourceTable table, SqlFragment filter, SortToSql.Key sortKey) {
    }

    /** A resource on the page: the index of its part, and its id. */
    public record Hit(int part, UUID id) {
    }

    private final Pool pool;

    public CrossTypeReads(Pool pool) {
        this.pool = pool;
    }

    /**
     * Rows sort by the parts' keys, unassigned ones last ascending and first descending (RFC 7644 §3.4.2.3), then by
     * id (unique across tables), so that paging is stable. An attribute one part's schemas lack but another's have has
     * no value in that part; what no part can filter or sort by fails the whole search (400) before anything is read.
     */
    public Uni<Page<Hit>> search(UUID orgId, List<Part> types, ResourceQuery query) {
        List<Translated> parts;
        try {
            parts = translated(types, query);
        } catch (ScimException e) {
            return Uni.createFrom().failure(e);
        }
        boolean descending = query.sortBy() != null && query.descending();
        List<Object> parameters = new ArrayList<>();
        parameters.add(orgId);
        List<String> selects = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Translated part = parts.get(i);
            String a = part.table().alias();
            String where = a + ".org_id = $1";
            if (part.filter() != null) {
                where += " AND (" + part.filter().sql() + ")";
                parameters.addAll(part.filter().parameters());
            }
            selects.add("SELECT " + i + " AS part, " + a + ".id AS id, "
                    + (part.sortKey() == null ? "NULL" : part.sortKey().sql()) + " AS sort_key FROM "
                    + part.table().table() + " " + a + " WHERE " + where);
        }
        String hits = String.join(" UNION ALL ", selects);
        // unfiltered: the trigger-maintained counts (V3__resource_counts.sql), not a scan of every row
        boolean byTrigger = parts.stream().allMatch(p -> p.filter() == null && p.table().countedByTrigger());
        String count = byTrigger ? "SELECT COALESCE(sum(n), 0) FROM resource_counts WHERE org_id = $1 AND resource IN ("
                + parts.stream().map(p -> "'" + p.table().table() + "'").collect(Collectors.joining(", ")) + ")"
                : "SELECT count(*) FROM (" + hits + ") hits";
        List<Object> countParameters = List.copyOf(parameters);
        if (query.count() == 0) {
            return PagedRows.count(pool, count, countParameters).map(total -> new Page<>(total, List.of()));
        }
        SortToSql.Order order = new SortToSql.Order(key(parts), descending, "id");
        if (query.paging() instanceof Paging.Keyset keyset) {
            String rows = "";
            if (keyset.after() != null) {
                SqlFragment after = order.after(keyset.after(), parameters.size() + 1);
                rows = " WHERE " + after.sql();
                parameters.addAll(after.parameters());
            }
            parameters.add(keyset.count() + 1);
            String sql = "SELECT part, id, (" + count + ") AS total, sort_key::text, id FROM (" + hits + ") hits" + rows
                    + " ORDER BY " + order.orderBy() + " LIMIT $" + parameters.size();
            return PagedRows.keyset(pool, sql, parameters, 2, row -> new Hit(row.getInteger(0), row.getUUID(1)),
                    keyset.count(), keyset.after() == null, count, countParameters);
        }
        Paging.Index index = (Paging.Index) query.paging();
        int limitParameter = parameters.size() + 1;
        parameters.add(index.count());
        parameters.add(index.offset());
        String sql = "SELECT part, id, " + (byTrigger ? "(" + count + ")" : "count(*) OVER ()") + " AS total FROM ("
                + hits + ") hits ORDER BY " + order.orderBy() + " LIMIT $" + limitParameter + " OFFSET $"
                + (limitParameter + 1);
        return PagedRows.read(pool, sql, parameters, 2, row -> new Hit(row.getInteger(0), row.getUUID(1)),
                index.offset(), count, countParameters);
    }

    /**
     * The key of the union: {@code sort_key}, of the type the parts that have the attribute give it, nullable when a
     * part lacks it or its values may be unassigned.
     */
    private static SortToSql.Key key(List<Translated> parts) {
        String type = null;
        boolean nullable = false;
        for (Translated part : parts) {
            if (part.sortKey() == null) {
                nullable = true;
            } else {
                type = type == null ? part.sortKey().type() : type;
                nullable |= part.sortKey().nullable();
            }
        }
        return new SortToSql.Key("sort_key", type, nullable);
    }

    private static List<Translated> translated(List<Part> types, ResourceQuery query) throws ScimException {
        List<AttributeResolver> everyType = types.stream().map(Part::attributes).toList();
        List<Translated> parts = new ArrayList<>();
        int nextParameter = 2;
        boolean sortable = false;
        for (Part type : types) {
            SqlFragment filter = null;
            if (query.filter() != null) {
                filter = FilterToSql.translateAcrossTypes(query.filter(), type.table(), type.attributes(), everyType,
                        nextParameter);
                nextParameter += filter.parameters().size();
            }
            Optional<SortToSql.Key> sortKey = query.sortBy() == null ? Optional.of(SortToSql.defaultKey(type.table()))
                    : SortToSql.key(query.sortBy(), type.table(), type.attributes());
            sortable |= sortKey.isPresent();
            parts.add(new Translated(type.table(), filter, sortKey.orElse(null)));
        }
        if (!sortable) {
            throw SortToSql.unknown(query.sortBy());
        }
        return parts;
    }
}
