package io.rollcall.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import io.rollcall.resource.KeysetPage;
import io.rollcall.resource.KeysetPosition;
import io.rollcall.resource.Paging;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A page of rows whose statement also gives the query's total on each row (a window count, or the trigger-kept count
 * as a subquery). Past the last page no row carries the total, so it is counted on its own.
 */
final class PagedRows {

    private PagedRows() {
    }

    /**
     * @param totalColumn the position of the total in each row
     * @param count       the statement counting the whole query, with {@code countParameters}
     */
    static <T> Uni<Page<T>> read(Pool pool, String sql, List<Object> parameters, int totalColumn, Function<Row, T> item,
            int offset, String count, List<Object> countParameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).chain(rows -> {
            List<T> items = new ArrayList<>();
            long total = -1;
            for (Row row : rows) {
                items.add(item.apply(row));
                total = row.getLong(totalColumn);
            }
            if (total >= 0 || offset == 0) {
                return Uni.createFrom().item(new Page<>(Math.max(total, 0), items));
            }
            return count(pool, count, countParameters).map(counted -> new Page<>(counted, items));
        });
    }

    /**
     * A keyset page: each row carries the total at {@code totalColumn}, then its sort key as text and its id (its
     * position); the statement reads up to {@code count + 1} rows in the direction of reading, the last only to tell
     * that more lie that way. Going back, the statement reads in the reverse order, so its rows are turned round here
     * into the query's order.
     */
    static <T> Uni<Page<T>> keyset(Pool pool, String sql, List<Object> parameters, int totalColumn,
            Function<Row, T> item, Paging.Keyset keyset, String countSql, List<Object> countParameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).chain(rows -> {
            List<T> items = new ArrayList<>();
            List<KeysetPosition> positions = new ArrayList<>();
            long total = -1;
            boolean beyond = false;
            for (Row row : rows) {
                if (items.size() == keyset.count()) {
                    beyond = true;
                    break;
                }
                items.add(item.apply(row));
                positions.add(new KeysetPosition(row.getString(totalColumn + 1), row.getUUID(totalColumn + 2)));
                total = row.getLong(totalColumn);
            }
            if (keyset.backward()) {
                Collections.reverse(items);
                Collections.reverse(positions);
            }
            KeysetPage page = keyset.backward() ? new KeysetPage(positions, beyond, true)
                    : new KeysetPage(positions, !keyset.isFirst(), beyond);
            // the first page without rows is an empty query: nothing to count
            if (total >= 0 || keyset.isFirst()) {
                return Uni.createFrom().item(new Page<>(Math.max(total, 0), items, page));
            }
            return count(pool, countSql, countParameters).map(counted -> new Page<>(counted, items, page));
        });
    }

    static Uni<Long> count(Pool pool, String sql, List<Object> parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).map(rows -> rows.iterator().next().getLong(0));
    }
}
