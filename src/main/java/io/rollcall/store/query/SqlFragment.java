package io.rollcall.store.query;

import java.util.List;
import java.util.UUID;

/**
 * A parameterised SQL condition: {@code sql} refers to its values as {@code $n}, numbered from the first parameter of
 * the statement it will be embedded in; {@code parameters} holds them in order. Values are never spliced into SQL.
 */
public record SqlFragment(String sql, List<Object> parameters) {

    public SqlFragment {
        parameters = List.copyOf(parameters);
    }

    /** The rows of {@code table} whose id is one of {@code ids}, as the statement's $2. */
    public static SqlFragment idIn(ResourceTable table, List<UUID> ids) {
        return new SqlFragment(table.alias() + ".id = ANY($2)", List.of((Object) ids.toArray(UUID[]::new)));
    }
}
