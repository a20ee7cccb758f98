package io.rollcall.store;

import java.util.List;

/** One page of a query and the number of resources the whole query matches. */
public record Page<T>(long totalResults, List<T> items) {
}
