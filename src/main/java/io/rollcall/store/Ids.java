package io.rollcall.store;

import java.util.Optional;
import java.util.UUID;

/** Resource ids as people send them: a UUID in its canonical 36-character form, or not an id at all. */
public final class Ids {

    private Ids() {
    }

    public static Optional<UUID> parse(String value) {
        if (value == null || value.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
