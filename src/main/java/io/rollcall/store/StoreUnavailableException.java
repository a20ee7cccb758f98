package io.rollcall.store;

/**
 * PostgreSQL could not be reached, or dropped the connection, before it answered: it is stopped, restarting, failing
 * over, refusing connections, or no pooled connection came free in time. A transaction that failed this way was rolled
 * back by PostgreSQL, unless the connection was lost while its commit was on the way (then its outcome is unknown
 * until read again). Nothing about the request was wrong: it may be sent again once the database is back.
 */
public final class StoreUnavailableException extends StoreException {

    StoreUnavailableException(Throwable cause) {
        super("The database is unreachable", cause);
    }
}
