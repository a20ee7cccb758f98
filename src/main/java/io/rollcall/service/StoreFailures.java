package io.rollcall.service;

import java.util.Optional;

import org.hibernate.exception.ConstraintViolationException;

import io.vertx.pgclient.PgException;

/** Recognises what the store refused (unique violations) in the exception chains Hibernate Reactive produces. */
final class StoreFailures {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private StoreFailures() {
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
