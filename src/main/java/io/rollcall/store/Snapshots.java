package io.rollcall.store;

import java.util.concurrent.atomic.AtomicBoolean;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Read-only REPEATABLE READ transactions on one connection: every statement run on it sees the database as of its
 * first statement, so a resource read in several statements (a group and its member batches) is one state. A snapshot
 * left idle — a response stalled by its reader — is ended by PostgreSQL after {@link #IDLE_LIMIT}, which frees the
 * connection.
 */
public final class Snapshots {

    static final String IDLE_LIMIT = "60s";

    private static final String BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; "
            + "SET LOCAL idle_in_transaction_session_timeout = '" + IDLE_LIMIT + "'";

    private Snapshots() {
    }

    /** Starts the snapshot on the connection; the caller ends it with {@link #end}. */
    public static Uni<Void> begin(SqlConnection connection) {
        return connection.query(BEGIN).execute().replaceWithVoid();
    }

    /**
     * Ends the snapshot and gives the connection back to the pool, once whatever calls it (completion, failure,
     * cancellation, or nobody needing the rest); a connection PostgreSQL already closed is just given back.
     */
    public static java.util.function.Supplier<Uni<Void>> ender(SqlConnection connection) {
        AtomicBoolean ended = new AtomicBoolean();
        return () -> ended.compareAndSet(false, true)
                ? connection.query("COMMIT").execute().replaceWithVoid().onFailure().recoverWithNull()
                        .eventually(connection::close)
                : Uni.createFrom().voidItem();
    }
}
