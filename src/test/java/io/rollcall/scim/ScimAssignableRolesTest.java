package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * Access model rule 6b: over SCIM the identity provider binds the roles the organization lets it assign (setting
 * {@code scimAssignableRoles}), whatever its key holds. A key holding only SCIM Client assigns every listed role in
 * every shape identity providers send (user {@code roles} on POST, PUT and PATCH, a group's roles, {@code /Roles}
 * members); a role outside the list is 403 naming it and the setting, and nothing changes. Access keys get roles only
 * through the admin API. The tests change the organization's settings and put the default back after each.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ScimAssignableRolesTest {

    private static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String GROUP_ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Group";
    private static final String ROLE_ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String SCIM_JSON = AdminFixtures.SCIM_JSON;

    private static String idp;

    /** The identity provider's key: SCIM Client and nothing else. */
    private static synchronized String idp() {
        if (idp == null) {
            idp = Tokens.scimClient();
        }
        return idp;
    }

    @AfterEach
    void putBackTheDefault() {
        asOwner().body(Map.of("fallbackRole", "knowledge-base-user")).when().put("/admin/v1/settings").then()
                .statusCode(200);
    }

    private static void onlyAssignable(String... roles) {
        asOwner().body(Map.of("fallbackRole", "knowledge-base-user", "scimAssignableRoles", List.of(roles)))
                .when().put("/admin/v1/settings").then().statusCode(200);
    }

    private static ValidatableResponse send(String method, String path, Object body) {
        return given().auth().oauth2(idp()).contentType(SCIM_JSON).body(body).when().request(method, "/scim/v2" + path)
                .then();
    }

    private static Map<String, Object> user(Object roles) {
        Map<String, Object> body = new HashMap<>(Map.of("schemas", List.of(USER_SCHEMA),
                "userName", unique("idp") + "@acme.com"));
        if (roles != null) {
            body.put("roles", roles);
        }
        return body;
    }

    private static List<String> roles(String userId) {
        return given().auth().oauth2(idp()).when().get("/scim/v2/Users/" + userId).then().statusCode(200).extract()
                .jsonPath().getList("roles.value");
    }

    private static String roleId(String value) {
        return given().auth().oauth2(idp()).queryParam("filter", ROLE_ACCESS + ":value eq \"" + value + "\"")
                .when().get("/scim/v2/Roles").then().statusCode(200).extract().path("Resources[0].id");
    }

    private static Map<String, Object> patch(Map<String, Object> operation) {
        return Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(operation));
    }

    @Test
    void rfc7644_3_3_aKeyHoldingOnlyScimClientCreatesUsersWithListedRolesInOktaAndEntraShapes() {
        String okta = send("POST", "/Users", user(List.of("campaign-manager", "Finance manager"))).statusCode(201)
                .extract().path("id");
        assertEquals(List.of("campaign-manager", "finance-manager"), roles(okta));
        String entra = send("POST", "/Users", user(List.of(Map.of("primary", "True", "type",
                "WindowsAzureActiveDirectoryRole", "value", "account-admin")))).statusCode(201).extract().path("id");
        assertEquals(List.of("account-admin"), roles(entra));
    }

    @Test
    void rfc7644_3_5_aKeyHoldingOnlyScimClientReplacesAndPatchesAUsersListedRoles() {
        Map<String, Object> body = user(null);
        String id = send("POST", "/Users", body).statusCode(201).extract().path("id");
        body.put("roles", List.of("analyze-manager"));
        send("PUT", "/Users/" + id, body).statusCode(200);
        assertEquals(List.of("analyze-manager"), roles(id));
        send("PATCH", "/Users/" + id, patch(Map.of("op", "Add", "path", "roles", "value", List.of(Map.of("value",
                "{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"content-manager\"}"))))).statusCode(200);
        assertEquals(List.of("analyze-manager", "content-manager"), roles(id));
    }

    @Test
    void rfc7644_3_3_aKeyHoldingOnlyScimClientSetsAGroupsListedRolesAndRoleMembers() {
        String group = send("POST", "/Groups", Map.of("schemas", List.of(GROUP_SCHEMA, GROUP_ACCESS), "displayName",
                unique("Sales"), GROUP_ACCESS, Map.of("roles", List.of("campaign-manager")))).statusCode(201)
                .extract().path("id");
        String user = send("POST", "/Users", user(null)).statusCode(201).extract().path("id");
        send("PATCH", "/Roles/" + roleId("account-admin"), patch(Map.of("op", "add", "path", "members", "value",
                List.of(Map.of("value", user), Map.of("value", group))))).statusCode(200);
        assertEquals(List.of("account-admin"), roles(user));
        List<String> groupRoles = asOwner().when().get("/admin/v1/groups/" + group + "/roles").then().statusCode(200)
                .extract().jsonPath().getList("items.role.value");
        assertEquals(List.of("account-admin", "campaign-manager"), groupRoles.stream().sorted().toList());
    }

    @Test
    void organizationOwnerIsAssignableOverScimOnlyWhenListed() {
        assertScimError(send("POST", "/Users", user(List.of("organization-owner"))), 403, null,
                "'Organization Owner' is not assignable over SCIM");
        onlyAssignable("organization-owner", "inbox-agent");
        String owner = send("POST", "/Users", user(List.of("organization-owner"))).statusCode(201).extract().path("id");
        assertEquals(List.of("organization-owner"), roles(owner));
    }

    @Test
    void aRoleOutsideTheListIs403NamingTheRoleAndTheSettingOnEveryPathAndChangesNothing() {
        onlyAssignable("inbox-agent");
        String userName = unique("refused") + "@acme.com";
        Map<String, Object> refusedUser = new HashMap<>(user(List.of("campaign-manager")));
        refusedUser.put("userName", userName);
        assertScimError(send("POST", "/Users", refusedUser), 403, null, "'Campaign manager' is not assignable over "
                + "SCIM in this organization: the setting scimAssignableRoles");
        given().auth().oauth2(idp()).queryParam("filter", "userName eq \"" + userName + "\"").when()
                .get("/scim/v2/Users").then().statusCode(200).body("totalResults", org.hamcrest.Matchers.equalTo(0));

        Map<String, Object> body = user(List.of("inbox-agent"));
        String id = send("POST", "/Users", body).statusCode(201).extract().path("id");
        body.put("roles", List.of("inbox-agent", "campaign-manager"));
        assertScimError(send("PUT", "/Users/" + id, body), 403, null, "scimAssignableRoles");
        assertScimError(send("PATCH", "/Users/" + id, patch(Map.of("op", "add", "path", "roles", "value",
                List.of(Map.of("value", "campaign-manager"))))), 403, null, "scimAssignableRoles");
        assertScimError(send("PATCH", "/Roles/" + roleId("campaign-manager"), patch(Map.of("op", "add", "path",
                "members", "value", List.of(Map.of("value", id))))), 403, null, "scimAssignableRoles");
        assertEquals(List.of("inbox-agent"), roles(id));

        String groupName = unique("Refused group");
        assertScimError(send("POST", "/Groups", Map.of("schemas", List.of(GROUP_SCHEMA, GROUP_ACCESS), "displayName",
                groupName, GROUP_ACCESS, Map.of("roles", List.of("campaign-manager")))), 403, null,
                "scimAssignableRoles");
        given().auth().oauth2(idp()).queryParam("filter", "displayName eq \"" + groupName + "\"").when()
                .get("/scim/v2/Groups").then().statusCode(200).body("totalResults", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void anAdministratorsBindingOfARoleOutsideTheListCannotBeRemovedOverScim() {
        String id = send("POST", "/Users", user(null)).statusCode(201).extract().path("id");
        AdminFixtures.bind("users", id, "campaign-manager", null);
        onlyAssignable("inbox-agent");
        assertScimError(send("PATCH", "/Roles/" + roleId("campaign-manager"), patch(Map.of("op", "remove", "path",
                "members[value eq \"" + id + "\"]"))), 403, null, "scimAssignableRoles");
        assertEquals(List.of("campaign-manager"), roles(id));
    }

    @Test
    void accessKeysGetNoRolesOverScimSoAnIdentityProviderCannotWidenItsOwnKey() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", unique("idp"), "roles", List.of("scim-client")));
        String token = key.token();
        assertScimError(given().auth().oauth2(token).contentType(SCIM_JSON).body(patch(Map.of("op", "add", "path",
                "members", "value", List.of(Map.of("value", key.id())))))
                .when().patch("/scim/v2/Roles/" + roleId("account-admin")).then(), 403, null, "admin API");
        List<String> held = asOwner().when().get("/admin/v1/access-keys/" + key.id()).then().statusCode(200)
                .extract().jsonPath().getList("roles");
        assertEquals(1, held.size(), held.toString());
        assertTrue(String.valueOf(held.get(0)).contains("SCIM Client") || String.valueOf(held.get(0))
                .contains("scim-client"), held.toString());
    }
}
