package io.rollcall.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/**
 * A transaction PostgreSQL rolls back to break a deadlock (40P01) or a serialization conflict (40001) applied nothing,
 * so it runs again; after three such losses the client gets a 503 saying so. Any other failure is not retried.
 */
class TransactionsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aDeadlockVictimRunsAgainAndItsSecondAttemptAnswers() {
        AtomicInteger attempts = new AtomicInteger();
        String answer = Transactions.runToCompletion(failingFirst(attempts, 1, "40P01")).await().atMost(WAIT);
        assertEquals("committed", answer);
        assertEquals(2, attempts.get());
    }

    @Test
    void aSerializationFailureRunsAgainToo() {
        AtomicInteger attempts = new AtomicInteger();
        assertEquals("committed", Transactions.runToCompletion(failingFirst(attempts, 2, "40001")).await().atMost(WAIT));
        assertEquals(3, attempts.get());
    }

    @Test
    void threeLossesInARowAnswer503NamingThatNothingWasApplied() {
        AtomicInteger attempts = new AtomicInteger();
        ScimFailure failure = assertThrows(ScimFailure.class,
                () -> Transactions.runToCompletion(failingFirst(attempts, 10, "40P01")).await().atMost(WAIT));
        assertEquals(3, attempts.get());
        assertEquals(503, failure.scimException().getScimError().getStatus());
        assertTrue(failure.getMessage().contains("nothing was applied"), failure.getMessage());
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        PgException unique = assertThrows(PgException.class,
                () -> Transactions.runToCompletion(failingFirst(attempts, 1, "23505")).await().atMost(WAIT));
        assertInstanceOf(PgException.class, unique);
        assertEquals(1, attempts.get());
    }

    /** A transaction whose first {@code failures} attempts fail with the SQLSTATE, then commits. */
    private static Uni<String> failingFirst(AtomicInteger attempts, int failures, String sqlState) {
        return Uni.createFrom().item(() -> {
            if (attempts.incrementAndGet() <= failures) {
                throw new PgException("rolled back", "ERROR", sqlState, null);
            }
            return "committed";
        });
    }
}
