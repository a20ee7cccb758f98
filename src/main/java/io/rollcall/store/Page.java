package io.rollcall.store;

import java.util.List;

import io.rollcall.resource.KeysetPage;

/**
 * One page of a query and the number of resources the whole query matches.
 *
 * @param keyset for a keyset page, the position of each resource and whether more follow; null for an index page
 */
public record Page<T>(long totalResults, List<T> items, KeysetPage keyset) {

    public Page(long totalResults, List<T> items) {
        this(totalResults, items, null);
    }

    /** The same page holding other items (the resources read or shown for these rows), positions kept. */
    public <U> Page<U> with(List<U> others) {
        return new Page<>(totalResults, others, keyset);
    }
}
