package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;

/**
 * RFC 7644 §3.4.1 and §3.5.1 show {@code Location} on the answers that show one resource, not only on a 201: GET, PUT
 * and PATCH of users, groups (the 204 of a membership PATCH too) and roles carry it, equal to {@code meta.location}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LocationHeaderTest {

    private static final String SCIM_JSON = "application/scim+json";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private static void assertLocated(Response response, int status) {
        assertEquals(status, response.statusCode(), response.asString());
        String location = response.header("Location");
        assertTrue(location != null && location.startsWith("http"), "Location: " + location);
        if (status != 204 && response.jsonPath().getString("meta.location") != null) {
            assertEquals(response.jsonPath().getString("meta.location"), location);
        }
    }

    @Test
    void rfc7644_3_4_1_and_3_5_1_singleResourceAnswersSayWhereTheResourceIs() {
        String token = AdminFixtures.scimToken();
        AdminFixtures.User user = AdminFixtures.createUser();
        String users = "/scim/v2/Users/" + user.id();
        assertLocated(given().auth().oauth2(token).when().get(users), 200);
        assertLocated(given().auth().oauth2(token).queryParam("attributes", "userName").when().get(users), 200);
        assertLocated(given().auth().oauth2(token).contentType(SCIM_JSON).body(Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", user.userName(), "displayName",
                "Located")).when().put(users), 200);
        assertLocated(given().auth().oauth2(token).contentType(SCIM_JSON).body(Map.of("schemas", List.of(PATCH_OP),
                "Operations", List.of(Map.of("op", "replace", "path", "displayName", "value", "Moved")))).when()
                .patch(users), 200);

        String group = "/scim/v2/Groups/" + AdminFixtures.createGroup(unique("Located"));
        assertLocated(given().auth().oauth2(token).when().get(group), 200);
        assertLocated(given().auth().oauth2(token).contentType(SCIM_JSON).body(Map.of("schemas", List.of(PATCH_OP),
                "Operations", List.of(Map.of("op", "add", "path", "members", "value",
                        List.of(Map.of("value", user.id())))))).when().patch(group), 204);

        String role = given().auth().oauth2(token).when().get("/scim/v2/Roles").then().statusCode(200).extract()
                .path("Resources[0].id");
        assertLocated(given().auth().oauth2(token).when().get("/scim/v2/Roles/" + role), 200);
    }
}
