package io.rollcall.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import org.hibernate.exception.DataException;
import org.hibernate.exception.GenericJDBCException;
import org.junit.jupiter.api.Test;

import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.vertx.pgclient.PgException;

/**
 * RFC 7644 §3.12: a value PostgreSQL refuses (SQLSTATE class 22, or 54000 for an index entry too large) is the client's
 * 400 invalidValue, whether it comes through Hibernate Reactive (a JDBCException over an SQLException) or the Vert.x
 * pool (a PgException), however deeply wrapped; other store failures are not.
 */
class StoreFailuresTest {

    @Test
    void rfc7644_3_12_aNulCharacterFromTheVertxPoolIsInvalidValueSayingSo() {
        BadRequestException refused = StoreFailures.refusedValue(new CompletionException(
                new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null))).orElseThrow();
        assertEquals("invalidValue", refused.getScimError().getScimType());
        assertTrue(refused.getMessage().contains("NUL"), refused.getMessage());
        assertTrue(refused.getMessage().contains("nothing was changed"), refused.getMessage());
    }

    @Test
    void rfc7644_3_12_anIndexEntryTooLargeFromHibernateIsInvalidValueSayingSo() {
        BadRequestException refused = StoreFailures.refusedValue(new CompletionException(new GenericJDBCException(
                "could not execute statement", new SQLException("index row size 3016 exceeds maximum", "54000"))))
                .orElseThrow();
        assertTrue(refused.getMessage().contains("too long"), refused.getMessage());
    }

    @Test
    void rfc7644_3_12_anotherDataExceptionNamesPostgresqlsProblemButNotTheStatement() {
        assertTrue(StoreFailures.refusedValue(new DataException("could not execute statement [insert into users]",
                new SQLException("ERROR: value out of range", "22003"))).isPresent());
        String detail = StoreFailures.refusedValue(new PgException("invalid input syntax for type uuid: \"x\"", "ERROR",
                "22P02", null)).orElseThrow().getMessage();
        assertTrue(detail.contains("invalid input syntax for type uuid"), detail);
    }

    @Test
    void rfc7644_3_12_otherStoreFailuresAreNotTheClientsValue() {
        assertTrue(StoreFailures.refusedValue(new PgException("duplicate key", "ERROR", "23505", null)).isEmpty());
        assertTrue(StoreFailures.refusedValue(new PgException("deadlock detected", "ERROR", "40P01", null)).isEmpty());
        assertTrue(StoreFailures.refusedValue(new IllegalStateException("boom")).isEmpty());
    }
}
