package io.rollcall.service;

import io.smallrye.mutiny.Multi;

/**
 * A page whose resources are read as they are written: the total is known first, the items come in batches as the
 * connection takes them, so a page of big resources never sits whole in memory.
 */
public record StreamedPage<T>(long totalResults, Multi<T> items) {
}
