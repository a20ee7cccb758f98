package io.rollcall.store;

/** A row the write refers to was deleted by a concurrent transaction (a foreign key no longer holds). */
public final class RowGoneException extends StoreException {

    RowGoneException(Throwable cause) {
        super("A row the write refers to was deleted meanwhile", cause);
    }
}
