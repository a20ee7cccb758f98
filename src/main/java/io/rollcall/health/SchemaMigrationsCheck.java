package io.rollcall.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Part of {@code /q/health/ready}: the database answers on the reactive pool the requests use, and every migration this
 * build ships is applied there successfully. The versions shipped are read once at start (from Flyway, after it
 * migrated); each probe asks {@code flyway_schema_history} again, so a database restored from an older backup or
 * swapped under the server shows DOWN with the versions missing. Quarkus adds its own connection checks beside it.
 */
@Readiness
@ApplicationScoped
public class SchemaMigrationsCheck implements AsyncHealthCheck {

    static final String NAME = "rollcall-schema-migrations";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String APPLIED = "SELECT version FROM flyway_schema_history WHERE success AND version = ANY($1)";

    private final Pool pool;
    private final StartupCompleted startup;
    private volatile List<String> shipped;

    public SchemaMigrationsCheck(Pool pool, @Startup StartupCompleted startup) {
        this.pool = pool;
        this.startup = startup;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, Flyway flyway) {
        shipped = Arrays.stream(flyway.info().all())
                .filter(migration -> migration.getVersion() != null && migration.getState().isResolved())
                .map(MigrationInfo::getVersion)
                .map(Object::toString)
                .toList();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<String> expected = shipped;
        if (expected == null || !startup.completed()) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).down().withData("reason", "starting").build());
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
