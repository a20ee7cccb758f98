package io.rollcall.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.PostgresResource;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The probes an orchestrator polls: open without a token (the token gate covers only {@code /scim/v2} and
 * {@code /admin/v1}), UP on a started server with a reachable, fully migrated database, and DOWN (503) on readiness
 * when a shipped migration is not applied, while liveness stays UP.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class HealthEndpointsTest {

    @Inject
    Pool pool;

    @Test
    void liveReadyAndStartedAnswerUpWithoutAToken() throws IOException {
        given().when().get("/q/health/live")
                .then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems(SchemaMigrationsCheck.NAME))
                .body("checks.find { it.name == '" + SchemaMigrationsCheck.NAME + "' }.data.shipped",
                        equalTo(shippedMigrationVersions()));
        given().when().get("/q/health/started")
                .then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(StartupCompleted.NAME));
        given().when().get("/q/health")
                .then().statusCode(200).body("status", equalTo("UP"));
    }

    /** The versions of the migration files in the source tree, in order: what the check must expect. */
    private static String shippedMigrationVersions() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .map(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .sorted()
                    .map(String::valueOf)
                    .collect(Collectors.joining(","));
        }
    }

    @Test
    void readinessChecksTheDatabaseTheRequestsUse() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.findAll { it.name.toLowerCase().contains('postgresql') }.status", hasItem("UP"));
    }

    @Test
    void aTokenIsNeitherNeededNorCheckedOnTheProbes() {
        given().header("Authorization", "Bearer not-a-token")
                .when().get("/q/health/ready")
                .then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void aShippedMigrationMissingFromTheDatabaseMakesReadinessDownButNotLiveness() {
        String latest = pool.query("SELECT max(version::int)::text FROM flyway_schema_history WHERE success")
                .execute().await().indefinitely().iterator().next().getString(0);
        pool.preparedQuery("UPDATE flyway_schema_history SET success = false WHERE version = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(latest)).await().indefinitely();
        try {
            given().when().get("/q/health/ready")
                    .then().statusCode(503).body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == '" + SchemaMigrationsCheck.NAME + "' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == '" + SchemaMigrationsCheck.NAME + "' }.data.missing",
                            equalTo(latest));
            given().when().get("/q/health/live")
                    .then().statusCode(200).body("status", equalTo("UP"))
                    .body("checks.name", not(hasItem(SchemaMigrationsCheck.NAME)));
        } finally {
            pool.preparedQuery("UPDATE flyway_schema_history SET success = true WHERE version = $1")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(latest)).await().indefinitely();
        }
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
