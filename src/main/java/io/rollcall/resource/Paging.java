package io.rollcall.resource;

/**
 * Which page of a query to answer: by index ({@code startIndex}/{@code count}, RFC 7644 §3.4.2.4) or by keyset, after
 * a position a previous page ended at (the position an RFC 9865 cursor carries).
 */
public sealed interface Paging {

    /** Page size; 0 asks only for the total. */
    int count();

    /** @param offset resources skipped ({@code startIndex - 1}) */
    record Index(int offset, int count) implements Paging {
        public Index {
            if (offset < 0 || count < 0) {
                throw new IllegalArgumentException("offset and count are 0 or more");
            }
        }
    }

    /**
     * The {@code count} resources that come after {@code after} in the query's order; the store reads one more to tell
     * whether another page follows.
     *
     * @param after the last resource of the previous page, or null for the first page
     */
    record Keyset(KeysetPosition after, int count) implements Paging {
        public Keyset {
            if (count < 0) {
                throw new IllegalArgumentException("count is 0 or more");
            }
        }
    }
}
