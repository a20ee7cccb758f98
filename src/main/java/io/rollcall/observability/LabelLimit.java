package io.rollcall.observability;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a label with free-form values (access key names) to a bounded number of series: the first {@code limit}
 * distinct values are kept as they are, any later one becomes {@code other}. A value once kept stays kept.
 */
final class LabelLimit {

    static final String OTHER = "other";

    private final int limit;
    private final Set<String> kept = ConcurrentHashMap.newKeySet();

    LabelLimit(int limit) {
        this.limit = Math.max(0, limit);
    }

    String label(String value) {
        if (kept.contains(value)) {
            return value;
        }
        synchronized (this) {
            if (kept.size() < limit) {
                kept.add(value);
                return value;
            }
        }
        return kept.contains(value) ? value : OTHER;
    }
}
