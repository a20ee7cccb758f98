package io.rollcall.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@code /q/metrics} in Prometheus' text format, open to the scraper without a token; HTTP request metrics are labelled
 * with route templates, never with the ids in the path, whether the request was served, refused by the token gate
 * or not found, so that the number of series stays bounded.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class MetricsEndpointTest {

    @Test
    void prometheusTextWithRouteTemplatesAndNoIds() {
        String known = UUID.randomUUID().toString();
        String refused = UUID.randomUUID().toString();
        given().auth().oauth2(Tokens.scimClient()).when().get("/scim/v2/Users/" + known).then().statusCode(404);
        given().when().get("/scim/v2/Users/" + refused).then().statusCode(401);
        given().auth().oauth2(Tokens.scimClient()).when().get("/scim/v2/Nothing/" + refused + "/deeper")
                .then().statusCode(404);

        String metrics = given().accept("text/plain").when().get("/q/metrics")
                .then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("jvm_memory_used_bytes"))
                .body(not(containsString(known)))
                .extract().asString();
        assertFalse(metrics.contains(refused), "no id of a refused request in a label");
        assertTrue(metrics.contains("uri=\"/scim/v2/Users/{id}\""), "the route template labels the request");
    }
}
