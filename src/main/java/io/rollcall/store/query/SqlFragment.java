package io.rollcall.store.query;

import java.util.List;

/**
 * A parameterised SQL condition: {@code sql} refers to its values as {@code $n}, numbered from the first parameter of
 * the statement it will be embedded in; {@code parameters} holds them in order. Values are never spliced into SQL.
 */
public record SqlFragment(String sql, List<Object> parameters) {

    public SqlFragment {
        parameters = List.copyOf(parameters);
    }
}
