package io.rollcall.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.rollcall.service.DatabaseStartup;
import io.rollcall.store.SchemaMigrations;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Part of {@code /q/health/ready}: the database answers on the reactive pool the requests use, and every migration this
 * build ships is applied there successfully. The versions shipped are read once at start (from Flyway, after it
 * migrated); each probe asks {@code flyway_schema_history} again, so a database restored from an older backup or
 * swapped under the server shows DOWN with the versions missing. DOWN too while start-up waits for an unreachable
 * database ({@link DatabaseStartup}). Quarkus adds its own connection checks beside it.
 */
@Readiness
@ApplicationScoped
public class SchemaMigrationsCheck implements AsyncHealthCheck {

    static final String NAME = "rollcall-schema-migrations";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String APPLIED = "SELECT version FROM flyway_schema_history WHERE success AND version = ANY($1)";

    private final Pool pool;
    private final SchemaMigrations migrations;
    private final DatabaseStartup startup;

    public SchemaMigrationsCheck(Pool pool, SchemaMigrations migrations, DatabaseStartup startup) {
        this.pool = pool;
        this.migrations = migrations;
        this.startup = startup;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<String> expected = migrations.shipped().orElse(null);
        if (expected == null || !startup.ready()) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).down()
                    .withData("reason", "starting: waiting for the database, migrations and bootstrap").build());
        }
        return pool.preparedQuery(APPLIED).execute(Tuple.of(expected.toArray(String[]::new)))
                .ifNoItem().after(TIMEOUT).fail()
                .map(rows -> {
                    List<String> applied = new ArrayList<>();
                    for (Row row : rows) {
                        applied.add(row.getString(0));
                    }
                    List<String> missing = expected.stream().filter(version -> !applied.contains(version)).toList();
                    HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME)
                            .withData("shipped", String.join(",", expected));
                    return missing.isEmpty() ? response.up().build()
                            : response.down().withData("missing", String.join(",", missing)).build();
                })
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named(NAME).down()
                        .withData("reason", "database unreachable: " + failure.getClass().getSimpleName()
                                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()))
                        .build());
    }
}
