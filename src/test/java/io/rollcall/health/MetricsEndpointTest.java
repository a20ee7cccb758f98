package io.rollcall.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@code /q/metrics} in Prometheus' text format, open to the scraper without a token; HTTP request metrics are labelled
 * with route templates, never with the ids in the path, whether the request was served, refused by the token gate
 * or not found, so that the number of series stays bounded. Rollcall's own meters (docs/operations.md, "Metrics"):
 * requests per SCIM operation and resource type, per access key name, errors by status and scimType, auth refusals by
 * reason, membership delta sizes; the database pool's meters are there too.
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
                .body(containsString("rollcall_requests_seconds_count"))
                .body(not(containsString("http_server_requests_seconds")))
                .body(containsString("jvm_memory_used_bytes"))
                .body(not(containsString(known)))
                .extract().asString();
        assertFalse(metrics.contains(refused), "no id of a refused request in a label");
        assertTrue(metrics.contains("route=\"/scim/v2/Users/{id}\""), "the route template labels the request");
    }

    @Test
    void rollcallMetersPerOperationKeyErrorRefusalAndDelta() {
        String keyName = "metrics-idp-" + UUID.randomUUID();
        String scim = Tokens.createKey(Map.of("name", keyName, "roles", List.of("scim-client"))).token();
        String userName = "metrics-" + UUID.randomUUID() + "@example.com";
        String body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + userName + "\"}";
        String userId = given().auth().oauth2(scim).contentType("application/scim+json").body(body)
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
        given().auth().oauth2(scim).contentType("application/scim+json").body(body)
                .when().post("/scim/v2/Users").then().statusCode(409);
        String groupId = given().auth().oauth2(scim).contentType("application/scim+json")
                .body("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"metrics-"
                        + UUID.randomUUID() + "\"}")
                .when().post("/scim/v2/Groups").then().statusCode(201).extract().path("id");
        given().auth().oauth2(scim).contentType("application/scim+json")
                .body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\","
                        + "\"path\":\"members\",\"value\":[{\"value\":\"" + userId + "\"}]}]}")
                .when().patch("/scim/v2/Groups/" + groupId).then().statusCode(204);
        given().auth().oauth2(scim).contentType("application/scim+json")
                .body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":[{"
                        + "\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u1\",\"data\":" + body + "}]}")
                .when().post("/scim/v2/Bulk").then().statusCode(200);
        given().auth().oauth2(scim).queryParam("cursor", "").queryParam("count", 1).when().get("/scim/v2/Groups")
                .then().statusCode(200);
        given().when().get("/scim/v2/Groups/" + groupId).then().statusCode(401);
        given().header("Authorization", "Basic eDp5").when().get("/scim/v2/Users").then().statusCode(401);
        given().auth().oauth2(Tokens.owner()).when().get("/scim/v2/Users").then().statusCode(403);

        String metrics = given().accept("text/plain").when().get("/q/metrics").then().statusCode(200)
                .extract().asString();
        assertSeries(metrics, "rollcall_requests_seconds_count{api=\"scim\",operation=\"create\",resource_type=\"User\","
                + "route=\"/scim/v2/Users\",scim_type=\"none\",status=\"201\"}");
        assertSeries(metrics, "rollcall_requests_seconds_count{api=\"scim\",operation=\"patch\",resource_type=\"Group\","
                + "route=\"/scim/v2/Groups/{id}\",scim_type=\"none\",status=\"204\"}");
        assertSeries(metrics, "rollcall_requests_seconds_count{api=\"scim\",operation=\"create\",resource_type=\"User\","
                + "route=\"/scim/v2/Users\",scim_type=\"uniqueness\",status=\"409\"}");
        assertSeries(metrics, "rollcall_key_requests_seconds_count{api=\"scim\",key=\"" + keyName + "\"}");
        assertSeries(metrics, "rollcall_errors_total{api=\"scim\",scim_type=\"uniqueness\",status=\"409\"}");
        assertSeries(metrics, "rollcall_auth_refusals_total{api=\"scim\",reason=\"no_credentials\"}");
        assertSeries(metrics, "rollcall_auth_refusals_total{api=\"scim\",reason=\"not_bearer\"}");
        assertSeries(metrics, "rollcall_auth_refusals_total{api=\"scim\",reason=\"not_scim_client\"}");
        assertSeries(metrics, "rollcall_membership_delta_members_count{operation=\"add\"}");
        assertSeries(metrics, "rollcall_membership_delta_members_bucket{operation=\"add\",le=\"1.0\"}");
        assertSeries(metrics, "rollcall_bulk_operations_total{method=\"POST\",resource_type=\"User\",status=\"409\"}");
        assertSeries(metrics, "rollcall_cursor_pages_total{resource_type=\"Group\"}");
        assertSeries(metrics, "sql_pool_active{");
        for (String id : List.of(userId, groupId)) {
            assertFalse(metrics.contains(id), "no id in a label");
        }
        assertFalse(metrics.contains(userName), "no user name in a label");
    }

    private static void assertSeries(String metrics, String series) {
        // this registry writes a comma after the last label: {a="1",}
        assertTrue(metrics.lines().map(line -> line.replace(",}", "}")).anyMatch(line -> line.startsWith(series)),
                () -> "/q/metrics has " + series + " among:\n" + String.join("\n",
                        metrics.lines().filter(line -> line.startsWith("rollcall_")).toList()));
    }
}
