package io.rollcall.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * Brings the database to the schema this build ships ({@code db/migration}, Flyway), at start and not before the
 * database can be reached: Quarkus' own {@code migrate-at-start} would stop the server when PostgreSQL is down.
 * Blocking (JDBC): call it from a worker thread.
 */
@ApplicationScoped
public class SchemaMigrations {

    private final Flyway flyway;
    private volatile List<String> shipped;

    public SchemaMigrations(Flyway flyway) {
        this.flyway = flyway;
    }

    /**
     * Applies the migrations the database lacks and records which versions this build ships. Fails as PostgreSQL or
     * Flyway fail: an unreachable database as {@link PersistenceFailures#convert} recognizes it, and a broken history
     * (an edited or failed migration) otherwise.
     */
    public void migrate() {
        flyway.migrate();
        shipped = Arrays.stream(flyway.info().all())
                .filter(migration -> migration.getVersion() != null && migration.getState().isResolved())
                .map(MigrationInfo::getVersion)
                .map(Object::toString)
                .toList();
    }

    /** The versions this build ships, once {@link #migrate()} has succeeded. */
    public Optional<List<String>> shipped() {
        return Optional.ofNullable(shipped);
    }
}
