package io.rollcall.store;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;

import org.hibernate.JDBCException;
import org.hibernate.exception.ConstraintViolationException;

import io.smallrye.mutiny.CompositeException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

/**
 * Translates PostgreSQL's failures, as Hibernate Reactive (a {@link JDBCException} over an {@link SQLException}) and the
 * Vert.x pool (a {@link PgException}) raise them, into {@link StoreException}s. SQLSTATEs and constraint names stay
 * here. Model: Keycloak's {@code PersistenceExceptionConverter}.
 */
public final class PersistenceFailures {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String DEADLOCK = "40P01";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DATA_EXCEPTION_CLASS = "22";
    private static final String PROGRAM_LIMIT_EXCEEDED = "54000";
    private static final String UNTRANSLATABLE_CHARACTER = "22P05";
    private static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";
    /** Class 08: the connection failed or was refused (e.g. 08006 connection_failure, 08001 cannot connect). */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    /** 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up, shutting down, recovering). */
    private static final Set<String> SERVER_GOING_AWAY = Set.of("57P01", "57P02", "57P03");
    private static final String TOO_MANY_CONNECTIONS = "53300";

    /** Each unique index or constraint, and the attribute it keeps unique as the APIs name it. */
    private static final Map<String, String> UNIQUE_ATTRIBUTES = Map.of(
            "users_org_user_name", "userName",
            "roles_org_name", "name",
            "roles_value_unique", "value",
            "workspaces_org_name", "name",
            "organizations_lower_name", "name",
            "organizations_name_key", "name",
            "policies_org_name", "name",
            "policies_managed_name", "name",
            "role_bindings_unique", "roleBinding");

    /** How the Vert.x SQL pool fails a wait for a connection past its connection timeout: a bare VertxException. */
    private static final String POOL_WAIT_TIMEOUT = "Timeout waiting for connection";

    /** How Vert.x refuses a statement on a pooled connection that closed before it was used (Vert.x gives no type). */
    private static final String CONNECTION_NOT_ACTIVE = "Connection is not active now";

    private PersistenceFailures() {
    }

    /** The store's exception for this failure, or the failure itself when it is not one PostgreSQL raised. */
    public static Throwable convert(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StoreException known) {
                return known;
            }
            if (connectionLost(t)) {
                return new StoreUnavailableException(failure);
            }
            String state = sqlState(t);
            if (state != null) {
                return convert(state, t, failure);
            }
            if (t instanceof CompositeException composite) {
                // Hibernate Reactive adds the failed rollback to the failure: the connection may show in either
                for (Throwable each : composite.getCauses()) {
                    if (each != composite && convert(each) instanceof StoreUnavailableException) {
                        return new StoreUnavailableException(failure);
                    }
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return failure;
    }

    private static Throwable convert(String state, Throwable database, Throwable failure) {
        if (state.equals(UNIQUE_VIOLATION)) {
            String constraint = constraint(database);
            return new DuplicateValueException(constraint == null ? null : UNIQUE_ATTRIBUTES.get(constraint), failure);
        }
        if (state.equals(DEADLOCK) || state.equals(SERIALIZATION_FAILURE)) {
            return new ConcurrencyVictimException(failure);
        }
        if (state.equals(FOREIGN_KEY_VIOLATION)) {
            return new RowGoneException(failure);
        }
        if (state.startsWith(CONNECTION_EXCEPTION_CLASS) || SERVER_GOING_AWAY.contains(state)
                || state.equals(TOO_MANY_CONNECTIONS)) {
            return new StoreUnavailableException(failure);
        }
        if (state.startsWith(DATA_EXCEPTION_CLASS) || state.equals(PROGRAM_LIMIT_EXCEEDED)) {
            return new RefusedValueException(describe(state, database) + "; nothing was changed", failure);
        }
        return failure;
    }

    private static String describe(String state, Throwable database) {
        if (state.equals(CHARACTER_NOT_IN_REPERTOIRE) || state.equals(UNTRANSLATABLE_CHARACTER)) {
            return "A value holds a character that cannot be stored, such as NUL (\\u0000); remove it";
        }
        if (state.equals(PROGRAM_LIMIT_EXCEEDED)) {
            return "A value is too long to be stored and indexed; send a shorter one";
        }
        // PostgreSQL's own message names the problem and the value, never the table or the statement
        return "A value was refused by the store" + (database instanceof PgException pg && pg.getErrorMessage() != null
                ? " (" + pg.getErrorMessage() + ")" : "") + "; check the values' form and size";
    }

    /**
     * Failures below SQL: no connection could be opened (refused, timed out: Netty's {@code ConnectTimeoutException}
     * is a {@link java.net.ConnectException}, a {@link SocketException}), an open one was reset or closed under a
     * statement, or the pool gave none within its connection timeout, or handed out one that had just closed.
     */
    private static boolean connectionLost(Throwable t) {
        return t instanceof SocketException || t instanceof ClosedConnectionException || socketGone(t)
                || t instanceof ClosedChannelException
                || t instanceof VertxException && POOL_WAIT_TIMEOUT.equals(t.getMessage())
                || t instanceof NoStackTraceThrowable && t.getMessage() != null
                        && t.getMessage().startsWith(CONNECTION_NOT_ACTIVE);
    }

    /**
     * A write to a connection PostgreSQL has closed: Java's socket channels report it as a bare {@link IOException}
     * ("Broken pipe", "Connection reset by peer"), not as a {@link SocketException}.
     */
    private static boolean socketGone(Throwable t) {
        return t.getClass() == IOException.class && t.getMessage() != null
                && (t.getMessage().contains("Broken pipe") || t.getMessage().contains("Connection reset"));
    }

    private static String sqlState(Throwable t) {
        if (t instanceof DatabaseException database) {
            return database.getSqlState();
        }
        if (t instanceof JDBCException jdbc) {
            return jdbc.getSQLState();
        }
        return t instanceof SQLException sql ? sql.getSQLState() : null;
    }

    private static String constraint(Throwable database) {
        if (database instanceof ConstraintViolationException violation) {
            return violation.getConstraintName();
        }
        return database instanceof PgException pg ? pg.getConstraint() : null;
    }
}
