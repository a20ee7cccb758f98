package io.rollcall.store;

import java.util.List;

/**
 * The statements of one page: the page's rows ({@code sql}, null when only the total is asked for) and the statement
 * counting the whole query. Built apart from running them so that plan tests can EXPLAIN exactly what runs.
 */
record PageStatement(String sql, List<Object> parameters, String count, List<Object> countParameters) {

    PageStatement {
        parameters = List.copyOf(parameters);
        countParameters = List.copyOf(countParameters);
    }
}
