package io.rollcall.service;

import java.util.List;

import io.rollcall.resource.KeysetPage;
import io.smallrye.mutiny.Multi;

/**
 * A page whose resources are read as they are written: the total is known first, the items come in batches
 * ({@link PageBatches}) as the connection takes them, so a page of big resources never sits whole in memory.
 *
 * @param batches the items, a batch at a time, each read only when asked for
 * @param keyset  for a keyset page, the position of each resource chosen and whether more follow; null for an index
 *                page. The items are a prefix of the resources chosen (the page may end early).
 */
public record StreamedPage<T>(long totalResults, Multi<List<T>> batches, KeysetPage keyset) {
}
