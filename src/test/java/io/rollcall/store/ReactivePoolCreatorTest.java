package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.PostgresResource;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Long statements keep their prepared statement (and so their plan) on the connection, as short ones do: with the
 * driver's default limit of 2,048 characters a statement this long would be parsed and planned at every execution.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ReactivePoolCreatorTest {

    private static final String MARKER = "rollcall-statement-cache-probe";

    @Inject
    Pool pool;

    @Test
    void aStatementLongerThanTheDriversDefaultLimitStaysPreparedOnItsConnection() {
        String sql = "SELECT 1 AS one /* " + MARKER + " " + "x".repeat(5_000) + " */";
        assertTrue(sql.length() > 2 * 2_048 && sql.length() < ReactivePoolCreator.STATEMENT_CACHE_SQL_LIMIT);

        long prepared = pool.withConnection(connection -> connection.preparedQuery(sql).execute()
                .chain(() -> connection.preparedQuery(sql).execute())
                .chain(() -> connection.query("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%"
                        + MARKER + "%'").execute())
                .map(rows -> rows.iterator().next().getLong(0)))
                .await().atMost(Duration.ofSeconds(30));

        assertEquals(1, prepared, "the statement is prepared once, under a name, and reused");
    }

    @Test
    void pooledConnectionsAreReplacedWithinTenMinutesSoThatNoPlanMadeForEmptyTablesLivesOn() {
        assertEquals(Duration.ofMinutes(10), org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.datasource.reactive.max-lifetime", Duration.class));
    }
}
