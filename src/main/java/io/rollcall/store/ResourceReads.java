package io.rollcall.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads of SCIM resource tables ({@code users}, {@code groups}) as single statements on the reactive pool: one by id,
 * or one page of a filtered, ordered query with its total. Filtering, ordering and paging happen in PostgreSQL.
 */
@ApplicationScoped
public class ResourceReads {

    private final Pool pool;
    /** The by-id statements, built once per table and relations expression (a handful, all constants of the code). */
    private final Map<StatementKey, String> findByIdStatements = new ConcurrentHashMap<>();

    private record StatementKey(ResourceTable table, String related) {
    }

    public ResourceReads(Pool pool) {
        this.pool = pool;
    }

    /** @param related an SQL expression over the row giving computed attributes as JSON text, or null */
    public Uni<StoredResource> findById(ResourceTable table, UUID orgId, UUID id, String related) {
        return findById(pool, table, orgId, id, related);
    }

    /** {@link #findById(ResourceTable, UUID, UUID, String)} read on the client given, e.g. in a snapshot transaction. */
    public Uni<StoredResource> findById(SqlClient client, ResourceTable table, UUID orgId, UUID id, String related) {
        String sql = findByIdStatements.computeIfAbsent(new StatementKey(table, related), key -> "SELECT "
                + columns(table, related) + " FROM " + from(table) + " WHERE " + table.alias() + ".org_id = $1 AND "
                + table.alias() + ".id = $2");
        return client.preparedQuery(sql)
                .execute(Tuple.of(orgId, id))
                .map(rows -> rows.iterator().hasNext() ? toStored(rows.iterator().next()) : null);
    }

    /**
     * One page of the organization's resources that the query selects, in its order (the id breaks ties), with the
     * total. A filter or sort the type's attributes cannot answer fails with the SCIM error (400 {@code invalidFilter}
     * or {@code invalidValue}) before anything is read. A keyset page also tells each resource's position and whether
     * more follow.
     *
     * @param attributes how the query's attribute paths resolve for this table's resource type
     * @param related    an SQL expression over the row giving computed attributes as JSON text, or null
     */
    public Uni<Page<StoredResource>> search(ResourceTable table, UUID orgId, AttributeResolver attributes,
            ResourceQuery query, String related) {
        return query(table, orgId, attributes, query, columns(table, related), 6, ResourceReads::toStored);
    }

    /** The organization's resources with these ids that exist, in the order of {@code ids}. */
    public Uni<List<StoredResource>> byIds(ResourceTable table, UUID orgId, List<UUID> ids, String related) {
        SqlFragment idIn = new SqlFragment(table.alias() + ".id = ANY($2)", List.of((Object) ids.toArray(UUID[]::new)));
        return page(table, orgId, idIn, "array_position($2, " + table.alias() + ".id)", 0, ids.size(), related)
                .map(Page::items);
    }

    /**
     * How big each of these resources' stored documents is, about as many bytes as its JSON text, by id (ids of
     * resources that no longer exist are missing), so that a streamed page can read its resources in batches bounded
     * in bytes ({@code service.PageBatches}). A document stored uncompressed is measured where it lies, without
     * reading it ({@code pg_column_size}, within some tens of percent of its text); a compressed one (TOAST, over
     * ~2 KB and compressible) is turned into text to be measured, as its stored size can be many times smaller than
     * its text.
     */
    public Uni<Map<UUID, Long>> documentBytes(ResourceTable table, UUID orgId, List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String data = table.alias() + ".data";
        String sql = "SELECT " + table.alias() + ".id, (CASE WHEN pg_column_compression(" + data + ") IS NULL THEN "
                + "pg_column_size(" + data + ") ELSE octet_length(" + data + "::text) END)::bigint FROM " + from(table)
                + " WHERE " + table.alias() + ".org_id = $1 AND " + table.alias() + ".id = ANY($2)";
        return pool.preparedQuery(sql).execute(Tuple.of(orgId, ids.toArray(UUID[]::new))).map(rows -> {
            Map<UUID, Long> bytes = new HashMap<>(rows.size() * 2);
            rows.forEach(row -> bytes.put(row.getUUID(0), row.getLong(1)));
            return bytes;
        });
    }

    /**
     * Which resources are on the query's page, in order, and the total: the ids alone, so that a big page can then be
     * read and written a batch at a time ({@link #byIds}).
     */
    public Uni<Page<UUID>> searchIds(ResourceTable table, UUID orgId, AttributeResolver attributes, ResourceQuery query) {
        return query(table, orgId, attributes, query, table.alias() + ".id", 1, row -> row.getUUID(0));
    }

    private <T> Uni<Page<T>> query(ResourceTable table, UUID orgId, AttributeResolver attributes, ResourceQuery query,
            String columns, int totalColumn, Function<Row, T> item) {
        SqlFragment filter;
        SortToSql.Order order;
        try {
            filter = query.filter() == null ? null : FilterToSql.translate(query.filter(), table, attributes, 2);
            order = SortToSql.order(query.sortBy(), query.descending(), table, attributes);
        } catch (ScimException e) {
            return Uni.createFrom().failure(e);
        }
        if (query.paging() instanceof Paging.Keyset keyset) {
            return keyset(table, orgId, filter, order, keyset, columns, totalColumn, item);
        }
        Paging.Index index = (Paging.Index) query.paging();
        return select(table, orgId, filter, order.orderBy(), index.offset(), index.count(), columns, totalColumn, item);
    }

    /** @param filter null for every row; its parameters are numbered from $2 ($1 is the organization) */
    Uni<Page<StoredResource>> page(ResourceTable table, UUID orgId, SqlFragment filter, String orderBy,
            int offset, int limit, String related) {
        return select(table, orgId, filter, orderBy, offset, limit, columns(table, related), 6, ResourceReads::toStored);
    }

    private <T> Uni<Page<T>> select(ResourceTable table, UUID orgId, SqlFragment filter, String orderBy, int offset,
            int limit, String columns, int totalColumn, Function<Row, T> item) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(orgId);
        String where = where(table, filter, parameters);
        // unfiltered: the trigger-maintained count (V3__resource_counts.sql), not a scan of every row
        boolean byTrigger = filter == null && table.countedByTrigger();
        String count = count(table, byTrigger, where);
        String totalSql = byTrigger ? "(" + count + ")" : "count(*) OVER ()";
        List<Object> countParameters = List.copyOf(parameters);
        if (limit == 0) {
            return PagedRows.count(pool, count, countParameters).map(total -> new Page<>(total, List.of()));
        }
        int limitParameter = parameters.size() + 1;
        parameters.add(limit);
        parameters.add(offset);
        String sql = "SELECT " + columns + ", " + totalSql + " AS total FROM " + from(table) + " WHERE " + where
                + " ORDER BY " + orderBy + " LIMIT $" + limitParameter + " OFFSET $" + (limitParameter + 1);
        return PagedRows.read(pool, sql, parameters, totalColumn, item, offset, count, countParameters);
    }

    /**
     * A keyset page (RFC 9865 cursors): the rows after the position, in order, read up to one more than the page so as
     * to know whether another page follows; going back, the rows before it, read nearest first up to one more (to know
     * whether a page precedes them) and turned round. The total counts the whole query, not what remains; each row
     * also gives its sort key as text, for the cursors' positions.
     */
    private <T> Uni<Page<T>> keyset(ResourceTable table, UUID orgId, SqlFragment filter, SortToSql.Order order,
            Paging.Keyset keyset, String columns, int totalColumn, Function<Row, T> item) {
        PageStatement statement = keysetStatement(table, orgId, filter, order, keyset, columns);
        if (statement.sql() == null) {
            return PagedRows.count(pool, statement.count(), statement.countParameters())
                    .map(total -> new Page<>(total, List.of()));
        }
        return PagedRows.keyset(pool, statement.sql(), statement.parameters(), totalColumn, item, keyset,
                statement.count(), statement.countParameters());
    }

    /**
     * The statements of a keyset page: {@code WHERE org AND filter AND (key, id) > (k, id) ORDER BY key, id LIMIT n+1},
     * which on the default order is a range scan of the (org_id, created_at, id) index wherever the page is
     * ({@code KeysetPlanTest}). Going back, the same with the order reversed ({@code (key, id) < (k, id) ORDER BY key
     * DESC, id DESC}): the same index, read backwards.
     */
    static PageStatement keysetStatement(ResourceTable table, UUID orgId, SqlFragment filter, SortToSql.Order order,
            Paging.Keyset keyset, String columns) {
        List<Object> parameters = new ArrayList<>();
        parameters.add(orgId);
        String where = where(table, filter, parameters);
        String count = count(table, filter == null && table.countedByTrigger(), where);
        List<Object> countParameters = List.copyOf(parameters);
        if (keyset.count() == 0) {
            return new PageStatement(null, List.of(), count, countParameters);
        }
        SortToSql.Order reading = keyset.backward() ? order.reversed() : order;
        String rows = where;
        if (keyset.position() != null) {
            SqlFragment after = reading.after(keyset.position(), parameters.size() + 1);
            rows += " AND " + after.sql();
            parameters.addAll(after.parameters());
        }
        parameters.add(keyset.count() + 1);
        String sql = "SELECT " + columns + ", (" + count + ") AS total, " + reading.keyText() + " AS position_key, "
                + table.alias() + ".id AS position_id FROM " + from(table) + " WHERE " + rows + " ORDER BY "
                + reading.orderBy() + " LIMIT $" + parameters.size();
        return new PageStatement(sql, parameters, count, countParameters);
    }

    /** The organization's rows the filter selects; the filter's parameters are added to {@code parameters}. */
    private static String where(ResourceTable table, SqlFragment filter, List<Object> parameters) {
        String where = table.alias() + ".org_id = $1";
        if (filter != null) {
            where += " AND (" + filter.sql() + ")";
            parameters.addAll(filter.parameters());
        }
        return where;
    }

    /** The statement counting the query: unfiltered, the trigger-maintained count (V3), not a scan of every row. */
    private static String count(ResourceTable table, boolean byTrigger, String where) {
        return byTrigger ? "SELECT COALESCE(sum(n), 0) FROM resource_counts WHERE org_id = $1 AND resource = '"
                + table.table() + "'" : "SELECT count(*) FROM " + from(table) + " WHERE " + where;
    }

    static String columns(ResourceTable table, String related) {
        String a = table.alias();
        return a + ".id, " + a + ".data::text AS data, " + table.version() + " AS version, " + a + ".created_at, "
                + table.lastModified() + " AS updated_at, " + (related == null ? "NULL::text" : related) + " AS related";
    }

    private static String from(ResourceTable table) {
        return table.table() + " " + table.alias();
    }

    /** A row of {@link #columns}, read by position (a lookup by name scans the row's column names each time). */
    static StoredResource toStored(Row row) {
        return new StoredResource(row.getUUID(0), row.getString(1), row.getLong(2), row.getOffsetDateTime(3).toInstant(),
                row.getOffsetDateTime(4).toInstant(), row.getString(5));
    }
}
