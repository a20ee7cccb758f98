package io.rollcall.store;

/**
 * PostgreSQL rolled the transaction back to break a deadlock or a serialization conflict with concurrent writers:
 * nothing of it was applied, and running it again is safe.
 */
public final class ConcurrencyVictimException extends StoreException {

    ConcurrencyVictimException(Throwable cause) {
        super("The transaction was rolled back to let a concurrent one proceed", cause);
    }
}
