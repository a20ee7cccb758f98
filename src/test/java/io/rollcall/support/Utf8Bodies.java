package io.rollcall.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;

/**
 * Every test's REST Assured request body is UTF-8 and says so, as SCIM clients send it (RFC 7644 §3.1): by default
 * REST Assured encodes a body whose type it does not know ({@code application/scim+json}) as ISO-8859-1 and appends
 * {@code charset=ISO-8859-1}, which the server refuses with 415. A Quarkus test callback (META-INF/services), so that
 * it sets the REST Assured the tests see (they run in Quarkus' class loader); {@link #configure()} for the rest.
 */
public class Utf8Bodies implements QuarkusTestBeforeEachCallback {

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        configure();
    }

    /** Also for tests that drive a packaged server, outside Quarkus' test class loader. */
    public static void configure() {
        RestAssured.config = RestAssured.config().encoderConfig(EncoderConfig.encoderConfig().defaultContentCharset("UTF-8")
                .defaultCharsetForContentType("UTF-8", "application/scim+json"));
    }
}
