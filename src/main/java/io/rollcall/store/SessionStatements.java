package io.rollcall.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hibernate.reactive.mutiny.impl.MutinySessionImpl;
import org.hibernate.reactive.pool.ReactiveConnection;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Statements of the current Hibernate Reactive transaction run straight on its connection, with positional parameters
 * ({@code $1} …), for those that every write runs. A Hibernate native query parses its SQL text again at every
 * execution ({@code SQLQueryParser}: ~8 % of the server's CPU samples on {@code POST /Users}, most of it for the audit
 * statement), and one with a result class never finds its plan in Hibernate's cache again; these are prepared once per
 * connection by the driver, as the statements on the pool are. The session is flushed first, as it is for a native
 * query, so that the statement sees the change's own rows.
 */
final class SessionStatements {

    private SessionStatements() {
    }

    /** Runs {@code sql} with the parameters in the caller's transaction; @return the rows it changed */
    static Uni<Integer> update(String sql, Object... parameters) {
        return connection().chain(connection -> Uni.createFrom().completionStage(() -> connection.update(sql,
                parameters)));
    }

    /** The rows {@code sql} selects, each as its columns in the driver's types ({@code uuid} as {@code UUID} …). */
    static Uni<List<Object[]>> select(String sql, Object... parameters) {
        return connection().chain(connection -> Uni.createFrom().completionStage(() -> connection.select(sql,
                parameters))).map(result -> {
                    List<Object[]> rows = new ArrayList<>(result.size());
                    result.forEachRemaining(rows::add);
                    return rows;
                });
    }

    static Uni<List<Object[]>> select(Named statement, Map<String, ?> parameters) {
        return select(statement.sql(), statement.parameters(parameters));
    }

    private static Uni<ReactiveConnection> connection() {
        // the connection of the session's transaction (Mutiny.Session itself does not give it out)
        return Panache.getSession().chain(session -> session.flush()
                .map(flushed -> ((MutinySessionImpl) session).getReactiveConnection()));
    }

    /**
     * A statement written with named parameters ({@code :org}), as most of the store's are, turned once into its
     * positional form: each name becomes {@code $n} in the order of first use. Casts ({@code ::uuid}), string literals,
     * comments and dollar-quoted bodies are left alone.
     */
    record Named(String sql, List<String> names) {

        static Named of(String named) {
            StringBuilder sql = new StringBuilder(named.length());
            List<String> names = new ArrayList<>();
            int i = 0;
            while (i < named.length()) {
                char c = named.charAt(i);
                if (c == '-' && named.startsWith("--", i)) {
                    int end = named.indexOf('\n', i);
                    end = end < 0 ? named.length() : end;
                    sql.append(named, i, end);
                    i = end;
                } else if (c == '\'') {
                    int end = named.indexOf('\'', i + 1);
                    sql.append(named, i, end + 1);
                    i = end + 1;
                } else if (c == '$' && named.startsWith("$$", i)) {
                    int end = named.indexOf("$$", i + 2);
                    sql.append(named, i, end + 2);
                    i = end + 2;
                } else if (c == ':' && i + 1 < named.length() && named.charAt(i + 1) == ':') {
                    sql.append("::");
                    i += 2;
                } else if (c == ':' && i + 1 < named.length() && Character.isJavaIdentifierStart(named.charAt(i + 1))) {
                    int end = i + 1;
                    while (end < named.length() && Character.isJavaIdentifierPart(named.charAt(end))) {
                        end++;
                    }
                    String name = named.substring(i + 1, end);
                    if (!names.contains(name)) {
                        names.add(name);
                    }
                    sql.append('$').append(names.indexOf(name) + 1);
                    i = end;
                } else {
                    sql.append(c);
                    i++;
                }
            }
            return new Named(sql.toString(), List.copyOf(names));
        }

        /** The values in positional order; every name must be given (a null value is SQL NULL). */
        Object[] parameters(Map<String, ?> values) {
            Object[] positional = new Object[names.size()];
            for (int n = 0; n < positional.length; n++) {
                if (!values.containsKey(names.get(n))) {
                    throw new IllegalArgumentException("No value for :" + names.get(n) + " in " + sql);
                }
                positional[n] = values.get(names.get(n));
            }
            return positional;
        }
    }
}
