package io.rollcall.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.KeysetPosition;
import io.rollcall.resource.Paging;
import io.rollcall.resource.ResourceQuery;
import io.rollcall.store.query.FilterToSql;
import io.rollcall.store.query.ResourceTable;
import io.rollcall.store.query.SortToSql;
import io.rollcall.store.query.SqlFragment;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * One page of a query across resource tables (the root {@code .search}) as one statement: the tables' matching rows in
 * one {@code UNION ALL}, ordered by one sort key and paged in PostgreSQL, answering which resources (table and id) are
 * on the page, in order, and the total. The resources themselves are read afterwards, by id. A keyset page takes each
 * table's rows after the position in a branch ordered and limited on its own (an index range scan on the default
 * order), and merges them.
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
        PageStatement statement;
        try {
            statement = statement(orgId, types, query);
        } catch (ScimException e) {
            return Uni.createFrom().failure(e);
        }
        if (statement.sql() == null) {
            return PagedRows.count(pool, statement.count(), statement.countParameters())
                    .map(total -> new Page<>(total, List.of()));
        }
        Function<Row, Hit> hit = row -> new Hit(row.getInteger(0), row.getUUID(1));
        if (query.paging() instanceof Paging.Keyset keyset) {
            return PagedRows.keyset(pool, statement.sql(), statement.parameters(), 2, hit, keyset, statement.count(),
                    statement.countParameters());
        }
        return PagedRows.read(pool, statement.sql(), statement.parameters(), 2, hit,
                ((Paging.Index) query.paging()).offset(), statement.count(), statement.countParameters());
    }

    /**
     * The statements of a page: rows {@code (part, id, total)}, and for a keyset page also {@code sort_key} as text
     * and the id again (the position). A keyset page reads one row more than its count, to know whether more follow;
     * going back, it reads in the reverse order (the rows before the position, nearest first), each branch too.
     */
    static PageStatement statement(UUID orgId, List<Part> types, ResourceQuery query) throws ScimException {
        List<Translated> parts = translated(types, query);
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
            return new PageStatement(null, List.of(), count, countParameters);
        }
        SortToSql.Key key = key(parts);
        SortToSql.Order order = new SortToSql.Order(key, descending, "id");
        if (query.paging() instanceof Paging.Keyset keyset) {
            // Each table's rows after the position (going back: before it, in the reversed order), ordered and limited
            // in their own branch: a UNION ALL branch with a WHERE is planned as a subquery, which would otherwise read
            // all of its rows to be sorted above. The position's parameters follow every filter's, shared by the
            // branches.
            SortToSql.Order reading = keyset.backward() ? order.reversed() : order;
            int positionParameter = parameters.size() + 1;
            KeysetPosition position = keyset.position();
            if (position != null) {
                parameters.add(position.sortKey() == null ? position.id() : position.sortKey());
                if (position.sortKey() != null) {
                    parameters.add(position.id());
                }
            }
            parameters.add(keyset.count() + 1);
            String limit = " LIMIT $" + parameters.size();
            List<String> branches = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                Translated part = parts.get(i);
                String a = part.table().alias();
                // a part without the attribute sorts as unassigned: NULL, of the union's type, by id among themselves
                boolean constant = part.sortKey() == null || part.sortKey().sql().startsWith("'");
                SortToSql.Key own = new SortToSql.Key(part.sortKey() == null ? "NULL" : part.sortKey().sql(), key.type(),
                        part.sortKey() == null || part.sortKey().nullable());
                SortToSql.Order branch = new SortToSql.Order(own, reading.descending(), a + ".id");
                String where = a + ".org_id = $1" + (part.filter() == null ? "" : " AND (" + part.filter().sql() + ")")
                        + (position == null ? "" : " AND " + branch.after(position, positionParameter).sql());
                branches.add("(SELECT " + i + " AS part, " + a + ".id AS id, " + own.sql() + " AS sort_key FROM "
                        + part.table().table() + " " + a + " WHERE " + where + " ORDER BY "
                        + (constant ? new SortToSql.Order(null, reading.descending(), a + ".id") : branch).orderBy()
                        + limit + ")");
            }
            // the text of the key is named apart: ORDER BY sort_key would otherwise take the text, not the value
            String sql = "SELECT part, id, (" + count + ") AS total, sort_key::text AS position_key, id AS position_id "
                    + "FROM (" + String.join(" UNION ALL ", branches) + ") hits ORDER BY " + reading.orderBy() + limit;
            return new PageStatement(sql, parameters, count, countParameters);
        }
        Paging.Index index = (Paging.Index) query.paging();
        int limitParameter = parameters.size() + 1;
        parameters.add(index.count());
        parameters.add(index.offset());
        String sql = "SELECT part, id, " + (byTrigger ? "(" + count + ")" : "count(*) OVER ()") + " AS total FROM ("
                + hits + ") hits ORDER BY " + order.orderBy() + " LIMIT $" + limitParameter + " OFFSET $"
                + (limitParameter + 1);
        return new PageStatement(sql, parameters, count, countParameters);
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
