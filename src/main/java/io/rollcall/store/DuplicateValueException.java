package io.rollcall.store;

import java.util.Optional;

/** A value that must be unique (in its organization, mostly) is taken: the write was rolled back. */
public final class DuplicateValueException extends StoreException {

    private final String attribute;

    DuplicateValueException(String attribute, Throwable cause) {
        super(attribute == null ? "A unique value is taken" : "The " + attribute + " is taken", cause);
        this.attribute = attribute;
    }

    /**
     * The attribute whose value is taken, as the API names it ({@code userName}, {@code name}, {@code value}), or
     * empty when PostgreSQL did not say which.
     */
    public Optional<String> attribute() {
        return Optional.ofNullable(attribute);
    }

    /** Whether the taken value is this attribute's (or PostgreSQL did not say which, which then can only be it). */
    public boolean isOf(String name) {
        return attribute == null || attribute.equals(name);
    }
}
