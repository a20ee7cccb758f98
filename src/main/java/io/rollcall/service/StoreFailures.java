package io.rollcall.service;

import java.sql.SQLException;
import java.util.Optional;

import org.hibernate.JDBCException;
import org.hibernate.exception.ConstraintViolationException;

import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.DatabaseException;

/**
 * Recognises what the store refused (unique violations, values it cannot take) in the exception chains of Hibernate
 * Reactive (a {@link JDBCException} over an {@link SQLException}) and of the Vert.x pool (a {@link PgException}).
 */
public final class StoreFailures {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String DEADLOCK = "40P01";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DATA_EXCEPTION_CLASS = "22";
    private static final String PROGRAM_LIMIT_EXCEEDED = "54000";
    private static final String UNTRANSLATABLE_CHARACTER = "22P05";
    private static final String CHARACTER_NOT_IN_REPERTOIRE = "22021";

    private StoreFailures() {
    }

    /**
     * Whether PostgreSQL rolled the transaction back to break a deadlock (40P01) or a serialization conflict (40001):
     * nothing of it was applied, and running it again is safe.
     */
    static boolean concurrencyRollback(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String state = t instanceof PgException pg ? pg.getSqlState()
                    : t instanceof JDBCException jdbc ? jdbc.getSQLState() : null;
            if (DEADLOCK.equals(state) || SERIALIZATION_FAILURE.equals(state)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Whether the failure is a foreign-key violation (a row referred to was deleted meanwhile). */
    static boolean foreignKeyViolation(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation && FOREIGN_KEY_VIOLATION.equals(violation.getSQLState())) {
                return true;
            }
            if (t instanceof PgException pg && FOREIGN_KEY_VIOLATION.equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A value PostgreSQL refused to take, as the 400 invalidValue it is: a data exception (SQLSTATE class 22, such as a
     * NUL character or a malformed or out-of-range value) or a value too large for an index entry (54000). Validation
     * refuses these first; this is the net for any it misses, so that the client learns its input was at fault and
     * that nothing was changed (the statement's transaction is rolled back).
     */
    public static Optional<BadRequestException> refusedValue(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String state = sqlState(t);
            if (state != null && (state.startsWith(DATA_EXCEPTION_CLASS) || state.equals(PROGRAM_LIMIT_EXCEEDED))) {
                return Optional.of(BadRequestException.invalidValue(describe(state, t) + "; nothing was changed"));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    private static String describe(String state, Throwable failure) {
        if (state.equals(CHARACTER_NOT_IN_REPERTOIRE) || state.equals(UNTRANSLATABLE_CHARACTER)) {
            return "A value holds a character that cannot be stored, such as NUL (\\u0000); remove it";
        }
        if (state.equals(PROGRAM_LIMIT_EXCEEDED)) {
            return "A value is too long to be stored and indexed; send a shorter one";
        }
        // PostgreSQL's own message names the problem and the value, never the table or the statement
        return "A value was refused by the store" + (failure instanceof PgException pg && pg.getErrorMessage() != null
                ? " (" + pg.getErrorMessage() + ")" : "") + "; check the values' form and size";
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

    /** The violated unique constraint's name, if this failure is a unique violation. */
    static Optional<String> uniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation
                    && UNIQUE_VIOLATION.equals(violation.getSQLState())) {
                return Optional.ofNullable(violation.getConstraintName()).or(() -> Optional.of(""));
            }
            if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
                return Optional.ofNullable(pg.getConstraint()).or(() -> Optional.of(""));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }
}
