package io.rollcall.service;

import io.smallrye.mutiny.Uni;

/**
 * Writes run to the end once started. When a client gives up (an IdP's timeout, a closed connection), the HTTP layer
 * cancels the request's pipeline; a cancelled transaction would be torn down mid-flight (Hibernate Reactive logs
 * "Live transaction detected" and rolls back). Decoupled, the transaction commits or rolls back on its own, and only
 * its answer goes unheard — so a retry sees a consistent state (e.g. 409 for a create that did commit).
 */
final class Transactions {

    private Transactions() {
    }

    static <T> Uni<T> runToCompletion(Uni<T> transaction) {
        return Uni.createFrom().emitter(emitter -> transaction.subscribe().with(emitter::complete, emitter::fail));
    }
}
