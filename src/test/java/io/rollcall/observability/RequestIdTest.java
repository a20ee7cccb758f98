package io.rollcall.observability;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * Every response carries a request id in {@code X-Request-Id} — the caller's (an ingress's) when it is a plain token,
 * a new UUID otherwise — and the same id is in the error body (problem {@code requestId}; a 500's reference) and in the
 * MDC of every log line written while the request is served.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RequestIdTest {

    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @Test
    void everyResponseHasOneAndEachRequestItsOwn() {
        String first = given().when().get("/q/health/live").then().statusCode(200)
                .header(RequestMetrics.HEADER, matchesPattern(UUID_PATTERN)).extract().header(RequestMetrics.HEADER);
        String second = given().when().get("/scim/v2/Users").then().statusCode(401)
                .header(RequestMetrics.HEADER, matchesPattern(UUID_PATTERN)).extract().header(RequestMetrics.HEADER);
        assertNotEquals(first, second);
    }

    @Test
    void anIngressIdIsKeptAndAnythingElseReplaced() {
        given().header(RequestMetrics.HEADER, "ingress-7f3a.42").when().get("/scim/v2/Users")
                .then().statusCode(401).header(RequestMetrics.HEADER, "ingress-7f3a.42");
        given().header(RequestMetrics.HEADER, "two words\"").when().get("/scim/v2/Users")
                .then().statusCode(401).header(RequestMetrics.HEADER, matchesPattern(UUID_PATTERN));
        given().header(RequestMetrics.HEADER, "x".repeat(129)).when().get("/scim/v2/Users")
                .then().statusCode(401).header(RequestMetrics.HEADER, matchesPattern(UUID_PATTERN));
    }

    @Test
    void adminProblemsCarryIt() {
        var response = given().auth().oauth2(Tokens.owner()).when().get("/admin/v1/roles/no-such-role")
                .then().statusCode(404).contentType(containsString("application/problem+json")).extract();
        assertEquals(response.header(RequestMetrics.HEADER), response.path("requestId"));
    }

    @Test
    void aServerErrorsReferenceIsTheRequestIdAndItsLogLineHasIt() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record instanceof ExtLogRecord ext) {
                    ext.copyMdc();
                }
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("io.rollcall.http.ErrorMapper");
        logger.addHandler(capture);
        try {
            var response = given().auth().oauth2(Tokens.scimClient()).header(RequestMetrics.HEADER, "trace-500")
                    .contentType("application/scim+json").body("{\"a\": 1}")
                    .when().post("/scim/v2/TestOnly/fail")
                    .then().statusCode(500).header(RequestMetrics.HEADER, "trace-500")
                    .body("detail", containsString("reference trace-500")).extract();
            assertEquals("trace-500", response.header(RequestMetrics.HEADER));
        } finally {
            logger.removeHandler(capture);
        }
        List<ExtLogRecord> failures = records.stream().filter(ExtLogRecord.class::isInstance).map(ExtLogRecord.class::cast)
                .filter(record -> record.getMessage() != null && record.getMessage().startsWith("Unexpected failure"))
                .toList();
        assertFalse(failures.isEmpty(), "the 500 is logged");
        failures.forEach(record -> assertEquals("trace-500", record.getMdc(RequestMetrics.MDC_KEY),
                "the log line's MDC has the request id"));
    }

    @Test
    void scimErrorsKeepTheirShapeAndTheHeaderHasTheId() {
        given().auth().oauth2(Tokens.scimClient()).when().get("/scim/v2/Users/" + java.util.UUID.randomUUID())
                .then().statusCode(404).header(RequestMetrics.HEADER, matchesPattern(UUID_PATTERN))
                .body("status", equalTo("404"));
    }
}
