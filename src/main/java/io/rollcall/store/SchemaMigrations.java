package io.rollcall.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SchemaValidationException;

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
    private final EntityManagerFactory mapping;
    private volatile List<String> shipped;

    public SchemaMigrations(Flyway flyway, EntityManagerFactory mapping) {
        this.flyway = flyway;
        this.mapping = mapping;
    }

    /**
     * Applies the migrations the database lacks, checks the entities against the tables they map (a missing table or
     * column, a wrong type), and records which versions this build ships. Fails as PostgreSQL, Flyway or Hibernate
     * fail: an unreachable database as {@link PersistenceFailures#convert} recognizes it, a broken history (an edited or
     * failed migration) or a mapping the schema does not match otherwise.
     */
    public void migrate() {
        flyway.migrate();
        // what Hibernate's schema-management=validate did at boot, which needed the database then
        try {
            mapping.getSchemaManager().validate();
        } catch (SchemaValidationException e) {
            throw new IllegalStateException("The database schema does not match this build's entities: "
                    + e.getMessage(), e);
        }
        shipped = Arrays.stream(flyway.info().all())
                .filter(migration -> migration.getVersion() != null && migration.getState().isResolved())
                .map(MigrationInfo::getVersion)
                .map(Object::toString)
                .toList();
    }

    /** Whether {@link #migrate()} has succeeded in this process: the tables this build uses exist. */
    public boolean applied() {
        return shipped != null;
    }

    /** The versions this build ships, once {@link #migrate()} has succeeded. */
    public Optional<List<String>> shipped() {
        return Optional.ofNullable(shipped);
    }
}
