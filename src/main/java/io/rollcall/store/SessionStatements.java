package io.rollcall.store;

import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Statements of the current Hibernate Reactive transaction run straight on its connection, with positional parameters
 * ({@code $1} …), for those that every write runs. A Hibernate native query parses its SQL text again at every
 * execution ({@code SQLQueryParser}: ~8 % of the server's CPU samples on {@code POST /Users}, most of it for the audit
 * statement); these are prepared once per connection by the driver, as the statements on the pool are. The session is
 * flushed first, as it is for a native query, so that the statement sees the change's own rows.
 */
final class SessionStatements {

    private SessionStatements() {
    }

    /** Runs {@code sql} with the parameters in the caller's transaction; @return the rows it changed */
    static Uni<Integer> update(String sql, Object... parameters) {
        return Panache.getSession().chain(session -> session.flush().chain(() -> Uni.createFrom().completionStage(
                // the connection of the session's transaction (Mutiny.Session itself does not give it out)
                () -> ((MutinySessionImpl) session).getReactiveConnection().update(sql, parameters))));
    }
}
