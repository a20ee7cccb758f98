package io.rollcall.http;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@link AuthFailureHandlerForRest} sets the request's authentication-failure handler before Quarkus REST's own route
 * does, so that Quarkus REST's (which builds a request mapper over every endpoint on each request, with Micrometer
 * present) finds it set and does nothing. Fails when a Quarkus upgrade moves either route.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AuthFailureHandlerForRestTest {

    @Test
    void anApiRequestGoesOnWithRollcallsHandlerNotTheOneQuarkusRestWouldSet() {
        AuthFailureHandlerProbe.SEEN.set(null);
        given().auth().oauth2(Tokens.scimClient()).header(AuthFailureHandlerProbe.HEADER, "1")
                .when().get("/scim/v2/Users/" + UUID.randomUUID()).then().statusCode(404);
        assertSame(AuthFailureHandlerForRest.FAIL, AuthFailureHandlerProbe.SEEN.get());
    }

    @Test
    void aRequestWithoutCredentialsIsStillAnsweredByTheTokenGate() {
        AuthFailureHandlerProbe.SEEN.set(null);
        given().header(AuthFailureHandlerProbe.HEADER, "1").when().get("/scim/v2/Users").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        assertSame(AuthFailureHandlerForRest.FAIL, AuthFailureHandlerProbe.SEEN.get());
    }
}
