package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;

/**
 * RFC 7644 §3.14 with RFC 9110 §13.1.1: an {@code If-Match} header that is present but empty names no version, so its
 * condition is false — 412, nothing changed — rather than a write without precondition.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class EmptyIfMatchTest {

    private static final String SCIM_JSON = "application/scim+json";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    @Test
    void rfc7644_3_14_anEmptyIfMatchFailsEveryWriteWith412AndChangesNothing() {
        String token = AdminFixtures.scimToken();
        AdminFixtures.User user = AdminFixtures.createUser();
        String path = "/scim/v2/Users/" + user.id();
        assertScimError(given().auth().oauth2(token).header("If-Match", "").contentType(SCIM_JSON)
                .body(Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(Map.of("op", "replace", "path",
                        "displayName", "value", "Changed")))).when().patch(path).then(), 412, null, "If-Match is empty");
        assertScimError(given().auth().oauth2(token).header("If-Match", "").contentType(SCIM_JSON)
                .body(Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName",
                        user.userName(), "displayName", "Changed")).when().put(path).then(), 412, null,
                "If-Match is empty");
        assertScimError(given().auth().oauth2(token).header("If-Match", "").when().delete(path).then(), 412, null,
                "If-Match is empty");
        given().auth().oauth2(token).when().get(path).then().statusCode(200)
                .body("displayName", org.hamcrest.Matchers.nullValue());

        String group = AdminFixtures.createGroup(unique("Guarded"));
        assertScimError(given().auth().oauth2(token).header("If-Match", "").contentType(SCIM_JSON)
                .body(Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(Map.of("op", "add", "path", "members",
                        "value", List.of(Map.of("value", user.id())))))).when().patch("/scim/v2/Groups/" + group)
                .then(), 412, null, "If-Match is empty");
        given().auth().oauth2(token).when().get("/scim/v2/Groups/" + group).then().statusCode(200)
                .body("members", org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.nullValue(),
                        equalTo(List.of())));
    }
}
