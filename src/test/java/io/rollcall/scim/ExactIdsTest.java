package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;

/**
 * RFC 7643 §3.1: {@code id} is caseExact and issued by the server, so a path or a reference names a resource only by
 * exactly the id the server issued. Upper case or a UUID written in a shorter form (a dropped leading zero) names
 * nothing, as {@code filter=id eq "…"} finds nothing: 404 in a path, 400 as a member, and nothing changes.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ExactIdsTest {

    private static final String SCIM_JSON = "application/scim+json";
    private static final Map<String, Object> DEACTIVATE = Map.of("schemas",
            List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
            "Operations", List.of(Map.of("op", "replace", "value", Map.of("active", false))));

    /** Ids that are not the id: upper case, and each segment's leading zeros dropped where it has any. */
    private static List<String> lookalikes(String id) {
        List<String> lookalikes = new ArrayList<>(List.of(id.toUpperCase()));
        String[] parts = id.split("-");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].startsWith("0")) {
                String[] shorter = parts.clone();
                shorter[i] = parts[i].replaceFirst("^0+(?=.)", "");
                lookalikes.add(String.join("-", shorter));
            }
        }
        return lookalikes;
    }

    @Test
    void rfc7643_3_1_aUserIsReachedOnlyByItsExactIdInAPath() {
        String token = AdminFixtures.scimToken();
        String id = AdminFixtures.createUser().id();
        for (String other : lookalikes(id)) {
            assertScimError(given().auth().oauth2(token).when().get("/scim/v2/Users/" + other).then(), 404, null, other);
            assertScimError(given().auth().oauth2(token).contentType(SCIM_JSON).body(DEACTIVATE).when()
                    .patch("/scim/v2/Users/" + other).then(), 404, null, other);
            assertScimError(given().auth().oauth2(token).when().delete("/scim/v2/Users/" + other).then(), 404, null,
                    other);
            assertEquals(0, given().auth().oauth2(token).queryParam("filter", "id eq \"" + other + "\"").when()
                    .get("/scim/v2/Users").then().statusCode(200).extract().jsonPath().getInt("totalResults"));
        }
        given().auth().oauth2(token).when().get("/scim/v2/Users/" + id).then().statusCode(200)
                .body("active", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void rfc7643_3_1_aGroupMemberIsNamedByItsExactId() {
        String token = AdminFixtures.scimToken();
        String user = AdminFixtures.createUser().id();
        assertScimError(given().auth().oauth2(token).contentType(SCIM_JSON).body(Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), "displayName", unique("Exact"),
                "members", List.of(Map.of("value", user.toUpperCase())))).when().post("/scim/v2/Groups").then(),
                400, "invalidValue", user.toUpperCase());
        String group = AdminFixtures.createGroup(unique("Exact"));
        assertScimError(given().auth().oauth2(token).when().get("/scim/v2/Groups/" + group.toUpperCase()).then(), 404,
                null, group.toUpperCase());
    }

    @Test
    void adminPathsNameResourcesByTheirExactIdToo() {
        String user = AdminFixtures.createUser().id();
        assertProblem(asOwner().when().get("/admin/v1/users/" + user.toUpperCase() + "/roles").then(), 404,
                user.toUpperCase());
        String role = asOwner().queryParam("search", "inbox agent").when().get("/admin/v1/roles").then()
                .extract().path("items.find { it.value == 'inbox-agent' }.id");
        assertProblem(asOwner().when().get("/admin/v1/roles/" + role.toUpperCase()).then(), 404, role.toUpperCase());
    }
}
