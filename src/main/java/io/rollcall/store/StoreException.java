package io.rollcall.store;

/**
 * What the store reports when PostgreSQL refuses a statement, in the store's words: services decide what each means for
 * the client, without knowing SQLSTATEs or constraint names ({@link PersistenceFailures} translates them). Model:
 * Keycloak's {@code ModelException} family.
 */
public abstract sealed class StoreException extends RuntimeException
        permits DuplicateValueException, ConcurrencyVictimException, RefusedValueException, RowGoneException,
        StoreUnavailableException {

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
