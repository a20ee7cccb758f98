package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import org.hibernate.HibernateException;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.CompositeException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Every way a request learns that PostgreSQL is away is one {@link StoreUnavailableException} (answered 503 with
 * {@code Retry-After} above), however deep Hibernate Reactive wraps it; refusals of a reachable database stay what
 * they were. The failures are the ones seen from the driver when the server stops, restarts or refuses connections.
 */
class PersistenceFailuresTest {

    @Test
    void aRefusedConnectionMeansTheStoreIsUnavailable() {
        unavailable(new CompletionException(new HibernateException("HR000092: Unable to open a connection",
                new ConnectException("Connection refused"))));
    }

    @Test
    void aConnectionResetOrClosedUnderAStatementMeansTheStoreIsUnavailable() {
        unavailable(new SocketException("Connection reset"));
        unavailable(new CompletionException(new java.io.IOException("Broken pipe")));
        unavailable(new java.io.IOException("Connection reset by peer"));
        unavailable(new CompletionException(ClosedConnectionException.INSTANCE));
    }

    @Test
    void aPooledConnectionFoundClosedMeansTheStoreIsUnavailableEvenBesideAFailedRollback() {
        unavailable(new CompositeException(
                new NoStackTraceThrowable("Connection is not active now, current status: CLOSED"),
                new IllegalStateException("HR000090: Live transaction detected while closing the connection")));
        unavailable(new CompositeException(new IllegalStateException("HR000090: Live transaction detected"),
                new CompletionException(ClosedConnectionException.INSTANCE)));
    }

    @Test
    void noPooledConnectionWithinTheAcquisitionTimeoutMeansTheStoreIsUnavailable() {
        unavailable(new VertxException("Timeout waiting for connection", true));
    }

    @Test
    void aServerShuttingDownStartingOrOutOfConnectionsMeansTheStoreIsUnavailable() {
        for (String state : new String[] { "57P01", "57P02", "57P03", "08006", "08001", "53300" }) {
            unavailable(new PgException("terminating connection", "FATAL", state, null));
        }
        unavailable(new SQLException("Connection to localhost:5432 refused", "08001"));
    }

    @Test
    void refusalsOfAReachableDatabaseStayWhatTheyWere() {
        assertInstanceOf(DuplicateValueException.class, PersistenceFailures.convert(
                new PgException("duplicate key", "ERROR", "23505", null)));
        assertInstanceOf(ConcurrencyVictimException.class, PersistenceFailures.convert(
                new PgException("deadlock detected", "ERROR", "40P01", null)));
        RuntimeException other = new IllegalStateException("a bug");
        assertSame(other, PersistenceFailures.convert(other));
        RuntimeException otherTimeout = new VertxException("Timeout", true);
        assertSame(otherTimeout, PersistenceFailures.convert(otherTimeout));
    }

    private static void unavailable(Throwable failure) {
        assertInstanceOf(StoreUnavailableException.class, PersistenceFailures.convert(failure), failure.toString());
    }
}
