package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * A group's roles (its access extension) and what membership does with them: members gain the group's roles and lose
 * the fallback role, members leaving get it back, and an identity provider's PUT without the extension keeps them.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GroupRolesOverScimTest {

    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Group";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.withRoles("scim-client", "organization-owner");
        }
        return token;
    }

    private static ValidatableResponse send(String method, String path, Object body) {
        return given().auth().oauth2(token()).contentType("application/scim+json").body(body).when()
                .request(method, "/scim/v2" + path).then().log().ifValidationFails();
    }

    private static String newUser() {
        return send("POST", "/Users", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "userName", "g-" + UUID.randomUUID() + "@acme.com")).statusCode(201).extract().path("id");
    }

    private static List<String> directRoles(String user) {
        return given().auth().oauth2(token()).when().get("/scim/v2/Users/" + user).then().statusCode(200).extract()
                .jsonPath().getList("roles.value");
    }

    @Test
    void aGroupCreatedWithRolesGrantsThemToItsMembersInsteadOfTheFallback() {
        String user = newUser();
        assertEquals(List.of("knowledge-base-user"), directRoles(user));
        String group = send("POST", "/Groups", Map.of("schemas", List.of(GROUP, ACCESS), "displayName",
                "Agents " + UUID.randomUUID(), "members", List.of(Map.of("value", user)),
                ACCESS, Map.of("roles", List.of("inbox-agent")))).statusCode(201).extract().path("id");
        JsonPath read = given().auth().oauth2(token()).when().get("/scim/v2/Groups/" + group).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("inbox-agent"), read.getList("'" + ACCESS + "'.roles.value"));
        assertNull(directRoles(user), "the group's role replaced the fallback");

        send("PATCH", "/Groups/" + group, Map.of("schemas", List.of(PATCH_OP), "Operations",
                List.of(Map.of("op", "remove", "path", "members[value eq \"" + user + "\"]")))).statusCode(204);
        assertEquals(List.of("knowledge-base-user"), directRoles(user), "leaving the group brings the fallback back");
    }

    @Test
    void anIdentityProvidersPutWithoutTheExtensionKeepsTheGroupsRoles() {
        String name = "Sales " + UUID.randomUUID();
        String group = send("POST", "/Groups", Map.of("schemas", List.of(GROUP, ACCESS), "displayName", name,
                ACCESS, Map.of("roles", List.of("campaign-manager")))).statusCode(201).extract().path("id");
        send("PUT", "/Groups/" + group, Map.of("schemas", List.of(GROUP), "displayName", name + " renamed",
                "members", List.of())).statusCode(200);
        JsonPath read = given().auth().oauth2(token()).when().get("/scim/v2/Groups/" + group).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("campaign-manager"), read.getList("'" + ACCESS + "'.roles.value"));
        send("PUT", "/Groups/" + group, Map.of("schemas", List.of(GROUP, ACCESS), "displayName", name,
                ACCESS, Map.of("roles", List.of()))).statusCode(200);
        read = given().auth().oauth2(token()).when().get("/scim/v2/Groups/" + group).then().statusCode(200)
                .extract().jsonPath();
        assertNull(read.get("'" + ACCESS + "'"));
    }

    @Test
    void deletingAGroupGivesItsMembersTheFallbackBack() {
        String user = newUser();
        String group = send("POST", "/Groups", Map.of("schemas", List.of(GROUP, ACCESS), "displayName",
                "Temp " + UUID.randomUUID(), "members", List.of(Map.of("value", user)),
                ACCESS, Map.of("roles", List.of("content-manager")))).statusCode(201).extract().path("id");
        assertNull(directRoles(user));
        given().auth().oauth2(token()).when().delete("/scim/v2/Groups/" + group).then().statusCode(204);
        assertEquals(List.of("knowledge-base-user"), directRoles(user));
    }

    @Test
    void aGroupsRolesAreNotPatchedAsPartOfItsDocument() {
        String group = send("POST", "/Groups", Map.of("schemas", List.of(GROUP), "displayName", "P " + UUID.randomUUID()))
                .statusCode(201).extract().path("id");
        assertScimError(send("PATCH", "/Groups/" + group, Map.of("schemas", List.of(PATCH_OP), "Operations",
                List.of(Map.of("op", "add", "path", ACCESS + ":roles", "value", List.of(Map.of("value", "inbox-agent")))))),
                400, "invalidPath", "PUT");
    }

    @Test
    void aGroupCannotHoldScimClientNorAnUnknownRole() {
        assertScimError(send("POST", "/Groups", Map.of("schemas", List.of(GROUP, ACCESS), "displayName",
                "S " + UUID.randomUUID(), ACCESS, Map.of("roles", List.of("scim-client")))), 400, "invalidValue",
                "access keys");
        assertScimError(send("POST", "/Groups", Map.of("schemas", List.of(GROUP, ACCESS), "displayName",
                "S " + UUID.randomUUID(), ACCESS, Map.of("roles", List.of("nope")))), 400, "invalidValue", "nope");
    }
}
