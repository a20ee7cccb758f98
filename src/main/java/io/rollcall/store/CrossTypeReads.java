package io.rollcall.store;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.rollcall.store.query.ResourceTable;
import io.rollcall.store.query.SqlFragment;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One page of a query across resource tables (the root {@code .search}) as one statement: the tables' matching rows in
 * one {@code UNION ALL}, ordered by one sort key and paged in PostgreSQL, answering which resources (table and id) are
 * on the page, in order, and the total. The resources themselves are read afterwards, by id.
 */
@ApplicationScoped
public class CrossTypeReads {

    /**
     * One table's part of the query.
     *
     * @param filter  its condition, or null for every row; parameters of all parts are numbered in one sequence from $2
     * @param sortKey the SQL expression its rows sort by, or null when they have no value for the sort attribute
     */
    public record Part(ResourceTable table, SqlFragment filter, String sortKey) {
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
     * id (unique across tables), so that paging is stable.
     */
    public Uni<Page<Hit>> search(UUID orgId, List<Part> parts, boolean descending, int offset, int limit) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(orgId);
        List<String> selects = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            String a = part.table().alias();
            String where = a + ".org_id = $1";
            if (part.filter() != null) {
                where += " AND (" + part.filter().sql() + ")";
                parameters.addAll(part.filter().parameters());
            }
            selects.add("SELECT " + i + " AS part, " + a + ".id AS id, " + (part.sortKey() == null ? "NULL" : part.sortKey())
                    + " AS sort_key FROM " + part.table().table() + " " + a + " WHERE " + where);
        }
        String hits = String.join(" UNION ALL ", selects);
        // unfiltered: the trigger-maintained counts (V3__resource_counts.sql), not a scan of every row
        boolean byTrigger = parts.stream().allMatch(p -> p.filter() == null && p.table().countedByTrigger());
        String count = byTrigger ? "SELECT COALESCE(sum(n), 0) FROM resource_counts WHERE org_id = $1 AND resource IN ("
                + parts.stream().map(p -> "'" + p.table().table() + "'").collect(Collectors.joining(", ")) + ")"
                : "SELECT count(*) FROM (" + hits + ") hits";
        List<Object> countParameters = List.copyOf(parameters);
        if (limit == 0) {
            return PagedRows.count(pool, count, countParameters).map(total -> new Page<>(total, List.of()));
        }
        String direction = descending ? " DESC" : " ASC";
        int limitParameter = parameters.size() + 1;
        parameters.add(limit);
        parameters.add(offset);
        String sql = "SELECT part, id, " + (byTrigger ? "(" + count + ")" : "count(*) OVER ()") + " AS total FROM ("
                + hits + ") hits ORDER BY sort_key" + direction + ", id" + direction + " LIMIT $" + limitParameter
                + " OFFSET $" + (limitParameter + 1);
        return PagedRows.read(pool, sql, parameters, 2, row -> new Hit(row.getInteger(0), row.getUUID(1)), offset, count,
                countParameters);
    }
}
