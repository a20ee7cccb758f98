package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    private static final String USER_ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:User";
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

    // --- The fallback role when members leave a role-granting group (set-based reconciliation) --------------------

    private static String newGroup(String displayName, List<String> roles, String... members) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("schemas", List.of(GROUP, ACCESS), "displayName",
                displayName + " " + UUID.randomUUID(), "members",
                java.util.Arrays.stream(members).map(id -> Map.of("value", id)).toList()));
        if (roles != null) {
            body.put(ACCESS, Map.of("roles", roles));
        }
        return send("POST", "/Groups", body).statusCode(201).extract().path("id");
    }

    private static void removeMember(String group, String member) {
        send("PATCH", "/Groups/" + group, Map.of("schemas", List.of(PATCH_OP), "Operations",
                List.of(Map.of("op", "remove", "path", "members[value eq \"" + member + "\"]")))).statusCode(204);
    }

    @Test
    void usersOfANestedGroupTakenOutOfARoleGrantingGroupGetTheFallbackBack() {
        String first = newUser();
        String second = newUser();
        String inner = newGroup("Inner", null, first, second);
        String outer = newGroup("Outer", List.of("inbox-agent"), inner);
        assertNull(directRoles(first));
        assertNull(directRoles(second));
        removeMember(outer, inner);
        assertEquals(List.of("knowledge-base-user"), directRoles(first));
        assertEquals(List.of("knowledge-base-user"), directRoles(second));
    }

    @Test
    void aUserLeavingOneRoleGrantingGroupKeepsTheRoleOfAnotherWithoutTheFallback() {
        String user = newUser();
        String leaving = newGroup("Leaving", List.of("inbox-agent"), user);
        String staying = newGroup("Staying", List.of("content-manager"), user);
        assertEquals(List.of("content-manager " + staying, "inbox-agent " + leaving), effectiveRoles(user),
                "the premise: both groups' roles");
        removeMember(leaving, user);
        assertEquals(List.of("content-manager " + staying), effectiveRoles(user), "the other group's role is kept");
        assertNull(directRoles(user), "another group still grants a role: no fallback");
    }

    /** The user's effective roles, each as {@code value via}, sorted (the via is the granting group). */
    private static List<String> effectiveRoles(String user) {
        JsonPath read = given().auth().oauth2(token()).when().get("/scim/v2/Users/" + user + "?attributes=" + USER_ACCESS)
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> roles = read.getList("'" + USER_ACCESS + "'.effectiveRoles");
        return roles == null ? List.of() : roles.stream().map(role -> role.get("value") + " " + role.get("via"))
                .sorted().toList();
    }

    @Test
    void aUserWithARoleOfItsOwnLeavingARoleGrantingGroupGetsNoFallback() {
        String user = send("POST", "/Users", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "userName", "own-" + UUID.randomUUID() + "@acme.com", "roles", List.of("analyze-manager")))
                .statusCode(201).extract().path("id");
        String group = newGroup("Own", List.of("inbox-agent"), user);
        removeMember(group, user);
        assertEquals(List.of("analyze-manager"), directRoles(user));
    }

    @Test
    void aPutThatDropsMembersOfARoleGrantingGroupGivesThemTheFallbackAndKeepsItFromThoseWhoStay() {
        String staying = newUser();
        String dropped = newUser();
        String name = "Replaced members " + UUID.randomUUID();
        String group = send("POST", "/Groups", Map.of("schemas", List.of(GROUP, ACCESS), "displayName", name,
                "members", List.of(Map.of("value", staying), Map.of("value", dropped)),
                ACCESS, Map.of("roles", List.of("inbox-agent")))).statusCode(201).extract().path("id");
        send("PUT", "/Groups/" + group, Map.of("schemas", List.of(GROUP), "displayName", name,
                "members", List.of(Map.of("value", staying)))).statusCode(200);
        assertNull(directRoles(staying));
        assertEquals(List.of("knowledge-base-user"), directRoles(dropped));
    }

    @Test
    void deletingARoleGrantingGroupWithManyMembersGivesEachTheFallbackBack() {
        List<String> users = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            users.add(newUser());
        }
        String inner = newGroup("Many inner", null, users.subList(20, 40).toArray(String[]::new));
        List<String> members = new java.util.ArrayList<>(users.subList(0, 20));
        members.add(inner);
        String group = newGroup("Many", List.of("campaign-manager"), members.toArray(String[]::new));
        String fallback = given().auth().oauth2(token()).queryParam("filter",
                "urn:rollcall:scim:schemas:extension:access:2.0:Role:value eq \"knowledge-base-user\"").when()
                .get("/scim/v2/Roles").then().statusCode(200).extract().path("Resources[0].id");
        users.forEach(user -> assertNull(directRoles(user)));
        given().auth().oauth2(token()).when().delete("/scim/v2/Groups/" + group).then().statusCode(204);
        for (String user : users) {
            assertEquals(List.of("knowledge-base-user"), directRoles(user), user);
            assertEquals(List.of(fallback), given().auth().oauth2(token()).queryParam("filter",
                    "members.value eq \"" + user + "\"").when().get("/scim/v2/Roles").then().statusCode(200).extract()
                    .jsonPath().getList("Resources.id"), "exactly one binding, the fallback");
        }
    }

    // --- Write responses show the access extension as a read does (RFC 7644 §3.3, §3.5.1, §3.5.2) -------------------

    private static Object extensionOf(JsonPath json) {
        return json.get("'" + ACCESS + "'");
    }

    private static JsonPath read(String group, String query) {
        return given().auth().oauth2(token()).when().get("/scim/v2/Groups/" + group + query).then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void aCreatedGroupsResponseShowsItsRolesAsAReadDoes() {
        JsonPath created = send("POST", "/Groups", Map.of("schemas", List.of(GROUP, ACCESS), "displayName",
                "Created " + UUID.randomUUID(), ACCESS, Map.of("roles", List.of("inbox-agent", "content-manager"))))
                .statusCode(201).extract().jsonPath();
        assertEquals(List.of("content-manager", "inbox-agent"), created.getList("'" + ACCESS + "'.roles.value"));
        assertEquals(List.of("scim", "scim"), created.getList("'" + ACCESS + "'.roles.type"));
        assertEquals(List.of(GROUP, ACCESS), created.getList("schemas"), "RFC 7643 §3: each schema once");
        JsonPath read = read(created.getString("id"), "");
        assertEquals(List.of(GROUP, ACCESS), read.getList("schemas"));
        assertEquals(extensionOf(read), extensionOf(created));
        assertEquals(read.getString("meta.version"), created.getString("meta.version"));
    }

    @Test
    void aGroupCreatedWithoutRolesShowsNoExtension() {
        JsonPath created = send("POST", "/Groups", Map.of("schemas", List.of(GROUP), "displayName",
                "Plain " + UUID.randomUUID())).statusCode(201).extract().jsonPath();
        assertNull(extensionOf(created));
        assertFalse(created.getList("schemas").contains(ACCESS));
    }

    @Test
    void aReplacedGroupsResponseShowsTheRolesItKeptOrGot() {
        String name = "Replaced " + UUID.randomUUID();
        String group = send("POST", "/Groups", Map.of("schemas", List.of(GROUP, ACCESS), "displayName", name,
                ACCESS, Map.of("roles", List.of("campaign-manager")))).statusCode(201).extract().path("id");
        // an identity provider's PUT without the extension keeps the roles, and the response says so
        JsonPath kept = send("PUT", "/Groups/" + group, Map.of("schemas", List.of(GROUP), "displayName", name + " 2"))
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("campaign-manager"), kept.getList("'" + ACCESS + "'.roles.value"));
        assertEquals(extensionOf(read(group, "")), extensionOf(kept));

        JsonPath changed = send("PUT", "/Groups/" + group, Map.of("schemas", List.of(GROUP, ACCESS), "displayName", name,
                ACCESS, Map.of("roles", List.of("analyze-manager")))).statusCode(200).extract().jsonPath();
        assertEquals(List.of("analyze-manager"), changed.getList("'" + ACCESS + "'.roles.value"));
        assertEquals(extensionOf(read(group, "")), extensionOf(changed));

        JsonPath cleared = send("PUT", "/Groups/" + group, Map.of("schemas", List.of(GROUP, ACCESS), "displayName", name,
                ACCESS, Map.of("roles", List.of()))).statusCode(200).extract().jsonPath();
        assertNull(extensionOf(cleared));
    }

    @Test
    void aPatchedGroupsResponseShowsItsRolesWhenItShowsTheGroup() {
        String name = "Patched " + UUID.randomUUID();
        String group = send("POST", "/Groups", Map.of("schemas", List.of(GROUP, ACCESS), "displayName", name,
                ACCESS, Map.of("roles", List.of("inbox-agent")))).statusCode(201).extract().path("id");
        JsonPath renamed = send("PATCH", "/Groups/" + group + "?excludedAttributes=members", Map.of("schemas",
                List.of(PATCH_OP), "Operations", List.of(Map.of("op", "replace", "path", "displayName",
                        "value", name + " renamed")))).statusCode(200).extract().jsonPath();
        assertEquals(name + " renamed", renamed.getString("displayName"));
        assertEquals(List.of("inbox-agent"), renamed.getList("'" + ACCESS + "'.roles.value"));
        assertEquals(extensionOf(read(group, "")), extensionOf(renamed));

        String user = newUser();
        JsonPath joined = send("PATCH", "/Groups/" + group + "?attributes=" + ACCESS + ":roles", Map.of("schemas",
                List.of(PATCH_OP), "Operations", List.of(Map.of("op", "add", "path", "members",
                        "value", List.of(Map.of("value", user)))))).statusCode(200).extract().jsonPath();
        assertEquals(List.of("inbox-agent"), joined.getList("'" + ACCESS + "'.roles.value"));
        assertNull(joined.get("displayName"), "only the roles were asked for");
    }

    @Test
    void writeResponsesHonourAttributesAndExcludedAttributesForTheExtension() {
        Map<String, Object> body = Map.of("schemas", List.of(GROUP, ACCESS), "displayName", "Projected "
                + UUID.randomUUID(), ACCESS, Map.of("roles", List.of("inbox-agent")));
        JsonPath excluded = send("POST", "/Groups?excludedAttributes=" + ACCESS, body).statusCode(201).extract().jsonPath();
        assertNull(extensionOf(excluded));
        String group = excluded.getString("id");

        JsonPath onlyName = send("PUT", "/Groups/" + group + "?attributes=displayName", body).statusCode(200).extract()
                .jsonPath();
        assertNull(extensionOf(onlyName));
        assertEquals(body.get("displayName"), onlyName.getString("displayName"));

        JsonPath onlyRoles = send("PUT", "/Groups/" + group + "?attributes=" + ACCESS + ":roles", body).statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("inbox-agent"), onlyRoles.getList("'" + ACCESS + "'.roles.value"));
        assertNull(onlyRoles.get("displayName"));

        JsonPath wholeExtension = send("PUT", "/Groups/" + group + "?attributes=" + ACCESS, body).statusCode(200)
                .extract().jsonPath();
        assertEquals(extensionOf(read(group, "?attributes=" + ACCESS)), extensionOf(wholeExtension));
        assertEquals(List.of("inbox-agent"), wholeExtension.getList("'" + ACCESS + "'.roles.value"));
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
