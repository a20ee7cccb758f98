package io.rollcall.service;

import com.unboundid.scim2.common.exceptions.ScimException;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

/**
 * Writes run to the end once started. When a client gives up (an IdP's timeout, a closed connection), the HTTP layer
 * cancels the request's pipeline; a cancelled transaction would be torn down mid-flight (Hibernate Reactive logs
 * "Live transaction detected" and rolls back). Decoupled, the transaction commits or rolls back on its own, and only
 * its answer goes unheard — so a retry sees a consistent state (e.g. 409 for a create that did commit).
 */
final class Transactions {

    private static final Logger LOG = Logger.getLogger(Transactions.class);

    private Transactions() {
    }

    /** Attempts of a transaction PostgreSQL rolls back to break a deadlock before the client is told to retry. */
    private static final int ATTEMPTS = 3;

    static <T> Uni<T> runToCompletion(Uni<T> transaction) {
        // a transaction PostgreSQL chose as a deadlock's victim applied nothing: run it again (the Uni is lazy, each
        // subscription opens a new session and transaction), and if it keeps losing, say so as a 503 to retry
        Uni<T> retried = transaction.onFailure(StoreFailures::concurrencyVictim).retry().atMost(ATTEMPTS - 1)
                .onFailure(StoreFailures::concurrencyVictim).transform(failure -> ScimFailure.of(new ScimException(
                        503, null, "The change collided with concurrent changes to the same data " + ATTEMPTS
                        + " times and was rolled back; nothing was applied. Retry the request.")));
        Uni<T> reported = retried.onFailure(StoreFailures::unavailable).invoke(failure -> LOG.warnf(
                "A write lost its database connection (%s): PostgreSQL rolled it back, unless the connection was lost "
                        + "while it committed, when its outcome is unknown until read again; the client is answered 503",
                failure.getCause() == null ? failure : failure.getCause()));
        return Uni.createFrom().emitter(emitter -> reported.subscribe().with(emitter::complete, emitter::fail));
    }
}
