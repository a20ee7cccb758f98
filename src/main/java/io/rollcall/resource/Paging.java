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
     * The {@code count} resources next to a position in the query's order: those after it (a {@code nextCursor}), or
     * those before it (a {@code previousCursor}), shown in the query's order. The store reads one more than the page
     * to tell whether another page follows (going forward) or precedes (going back).
     *
     * @param position the first resource of the page that asked to go back, or the last one of the page that asked to
     *                 go forward; null for the first page
     * @param backward whether the page is the one before the position
     */
    record Keyset(KeysetPosition position, boolean backward, int count) implements Paging {
        public Keyset {
            if (count < 0) {
                throw new IllegalArgumentException("count is 0 or more");
            }
            if (backward && position == null) {
                throw new IllegalArgumentException("going back starts from a position");
            }
        }

        /** The query's first page. */
        public static Keyset first(int count) {
            return new Keyset(null, false, count);
        }

        /** The page after {@code position}; the first page when it is null. */
        public static Keyset after(KeysetPosition position, int count) {
            return new Keyset(position, false, count);
        }

        /** The page that ends just before {@code position}. */
        public static Keyset before(KeysetPosition position, int count) {
            return new Keyset(position, true, count);
        }

        public boolean isFirst() {
            return position == null;
        }
    }
}
