package io.rollcall.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.sql.Timestamp;

/** Values of native-query rows, whose Java type depends on the driver path Hibernate Reactive takes. */
final class NativeRows {

    private NativeRows() {
    }

    /** A {@code timestamptz} column's value, or null. */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
