package io.rollcall.store;

/**
 * PostgreSQL refused a value (a NUL character, a malformed or out-of-range value, one too large for an index entry);
 * the statement's transaction was rolled back. {@link #getMessage()} says what, in words fit for the client.
 */
public final class RefusedValueException extends StoreException {

    RefusedValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
