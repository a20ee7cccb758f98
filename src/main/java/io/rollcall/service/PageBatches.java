package io.rollcall.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * How a streamed page (a Users page, a root {@code .search} page) reads its resources once it knows which they are:
 * a batch at a time, each batch read only when the answer asks for more, so that a page holds one batch in memory
 * whatever its size. A batch ends at {@link #MAX_ITEMS} resources or at {@link #MAX_BYTES} of stored documents,
 * whichever comes first (a resource bigger than that is a batch of its own): users of ~30 KB are read 8 at a time,
 * users of ~1 KB 100 at a time.
 */
public final class PageBatches {

    /** Resources read per batch at most. */
    public static final int MAX_ITEMS = 100;

    /**
     * Bytes of stored documents read per batch at most, unless one resource alone is bigger. Measured with the
     * benchmark's {@code list-1000-large} (16 pages of 1,000 users of ~30 KB at once, 80 MiB heap): with 1 MiB the
     * batches in flight kept the old generation full: ~10 s of 30 went to GC pauses (104 full collections), 290 ms
     * of server CPU per page; with 256 KiB, ~4.4 s (33–52 full collections), 206–247 ms; with 128 KiB the pauses
     * drop to ~2.5 s, but the extra statements cost PostgreSQL ~20% more CPU per page (docs/performance.md).
     */
    public static final long MAX_BYTES = 256L << 10;

    private PageBatches() {
    }

    /**
     * The page's resources read batch after batch, in the page's order, up to the first that could not be read: a
     * batch that answers fewer resources than it was given ends the page (the resource after them was deleted
     * meanwhile, or would pass a budget of the page), so that continuing at {@code startIndex} plus the number written
     * skips none (RFC 7644 §3.4.2.4).
     *
     * @param chosen what is on the page, in order
     * @param bytes  how many bytes reading one of them takes (its stored document)
     * @param reader reads a batch: the resources of a prefix of it, in its order
     */
    public static <T, R> Multi<List<R>> read(List<T> chosen, ToLongFunction<T> bytes,
            Function<List<T>, Uni<List<R>>> reader) {
        AtomicBoolean ended = new AtomicBoolean();
        return Multi.createFrom().iterable(split(chosen, bytes, MAX_ITEMS, MAX_BYTES))
                .onItem().transformToUniAndConcatenate(batch -> ended.get() ? Uni.createFrom().item(List.<R>of())
                        : reader.apply(batch).invoke(read -> {
                            if (read.size() < batch.size()) {
                                ended.set(true);
                            }
                        }))
                .select().where(read -> !read.isEmpty());
    }

    /** Consecutive batches of at most {@code maxItems} items and {@code maxBytes} bytes, each of one item at least. */
    static <T> List<List<T>> split(List<T> items, ToLongFunction<T> bytes, int maxItems, long maxBytes) {
        List<List<T>> batches = new ArrayList<>();
        int from = 0;
        long taken = 0;
        for (int i = 0; i < items.size(); i++) {
            long size = Math.max(0, bytes.applyAsLong(items.get(i)));
            if (i > from && (i - from == maxItems || taken + size > maxBytes)) {
                batches.add(items.subList(from, i));
                from = i;
                taken = 0;
            }
            taken += size;
        }
        if (from < items.size()) {
            batches.add(items.subList(from, items.size()));
        }
        return batches;
    }
}
