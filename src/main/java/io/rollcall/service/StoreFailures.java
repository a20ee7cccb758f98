package io.rollcall.service;

import java.util.Optional;

import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.rollcall.store.ConcurrencyVictimException;
import io.rollcall.store.DuplicateValueException;
import io.rollcall.store.PersistenceFailures;
import io.rollcall.store.RefusedValueException;
import io.rollcall.store.RowGoneException;
import io.rollcall.store.StoreUnavailableException;

/**
 * What the store's refusals ({@link io.rollcall.store.StoreException}) mean for a request: the one place services read
 * them. A failure may still be PostgreSQL's own (Hibernate raises it at flush, outside any store method), so each
 * check converts it first.
 */
public final class StoreFailures {

    private StoreFailures() {
    }

    /** Whether nothing of the transaction was applied and running it again is safe (a deadlock's or conflict's victim). */
    static boolean concurrencyVictim(Throwable failure) {
        return PersistenceFailures.convert(failure) instanceof ConcurrencyVictimException;
    }

    /**
     * Whether the database could not be reached or dropped the connection: the request may be sent again later (503
     * with {@code Retry-After}), whichever layer met the failure (the token gate, a service, the token endpoint).
     */
    public static boolean unavailable(Throwable failure) {
        return PersistenceFailures.convert(failure) instanceof StoreUnavailableException;
    }

    /** Whether a row the write referred to was deleted meanwhile. */
    static boolean rowGone(Throwable failure) {
        return PersistenceFailures.convert(failure) instanceof RowGoneException;
    }

    /** A unique value the write needed is taken. */
    static Optional<DuplicateValueException> duplicate(Throwable failure) {
        return PersistenceFailures.convert(failure) instanceof DuplicateValueException duplicate ? Optional.of(duplicate)
                : Optional.empty();
    }

    /**
     * A value PostgreSQL refused to take, as the 400 invalidValue it is. Validation refuses these first; this is the net
     * for any it misses, so that the client learns its input was at fault and that nothing was changed.
     */
    public static Optional<BadRequestException> refusedValue(Throwable failure) {
        return PersistenceFailures.convert(failure) instanceof RefusedValueException refused
                ? Optional.of(BadRequestException.invalidValue(refused.getMessage())) : Optional.empty();
    }
}
