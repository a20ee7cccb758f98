package io.rollcall.store;

import jakarta.inject.Singleton;

import io.quarkus.arc.Unremovable;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

/**
 * The reactive pool as Quarkus configures it ({@code quarkus.datasource.reactive.*}), with a larger limit on the SQL
 * text of the statements each connection keeps prepared. The driver keeps only statements of up to 2,048 characters;
 * a longer one is parsed and planned again at every execution, whatever {@code plan_cache_mode} says, and several of
 * this server's statements are longer (a membership add with its checks and version count: pg_stat_statements showed
 * 713 µs of planning for 298 µs of execution, on every call).
 */
@Singleton
@Unremovable
public class ReactivePoolCreator implements PgPoolCreator {

    static final int STATEMENT_CACHE_SQL_LIMIT = 32 * 1024;

    @Override
    public Pool create(Input input) {
        input.pgConnectOptionsList().forEach(options -> options.setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT));
        return PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
