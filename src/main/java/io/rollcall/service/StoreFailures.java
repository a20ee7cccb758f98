package io.rollcall.service;

import java.util.Optional;

import org.hibernate.JDBCException;
import org.hibernate.exception.ConstraintViolationException;

import io.vertx.pgclient.PgException;

/** Recognises what the store refused (unique violations) in the exception chains Hibernate Reactive produces. */
final class StoreFailures {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String DEADLOCK = "40P01";
    private static final String SERIALIZATION_FAILURE = "40001";

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
