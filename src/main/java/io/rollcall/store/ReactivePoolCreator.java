package io.rollcall.store;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.quarkus.arc.Unremovable;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.rollcall.config.RollcallConfig;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;

/**
 * The reactive pool as Quarkus configures it ({@code quarkus.datasource.reactive.*}), with the bounds of
 * {@code rollcall.database.*} on every wait for the database (Quarkus has no settings for them, and Vert.x' defaults
 * are 60 s to connect, 30 s for a pooled connection, and no end for a statement over a cut network), and a larger limit on the SQL
 * text of the statements each connection keeps prepared. The driver keeps only statements of up to 2,048 characters;
 * a longer one is parsed and planned again at every execution, whatever {@code plan_cache_mode} says, and several of
 * this server's statements are longer (a membership add with its checks and version count: pg_stat_statements showed
 * 713 µs of planning for 298 µs of execution, on every call).
 */
@Singleton
@Unremovable
public class ReactivePoolCreator implements PgPoolCreator {

    static final int STATEMENT_CACHE_SQL_LIMIT = 32 * 1024;

    private final RollcallConfig.Database bounds;

    public ReactivePoolCreator(RollcallConfig config) {
        this.bounds = config.database();
    }

    @Override
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setPreparedStatementCacheSqlLimit(STATEMENT_CACHE_SQL_LIMIT);
            options.setConnectTimeout(Math.toIntExact(bounds.connectTimeout().toMillis()));
            // in the unit Quarkus may already have set for quarkus.datasource.reactive.idle-timeout
            options.setReadIdleTimeout(Math.toIntExact(options.getIdleTimeoutUnit().convert(bounds.readTimeout())));
        }
        input.poolOptions()
                .setConnectionTimeout(Math.toIntExact(bounds.acquisitionTimeout().toMillis()))
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        return PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
