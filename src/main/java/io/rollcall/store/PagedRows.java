package io.rollcall.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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

    static Uni<Long> count(Pool pool, String sql, List<Object> parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).map(rows -> rows.iterator().next().getLong(0));
    }
}
