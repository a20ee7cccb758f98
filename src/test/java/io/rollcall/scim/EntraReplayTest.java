package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * Microsoft Entra ID's provisioning requests replayed in the order Entra sends them (learn.microsoft.com, "Tutorial:
 * Develop and plan provisioning for a SCIM endpoint" and "Known issues and resolutions with SCIM 2.0 protocol
 * compliance"; docs/entra-id.md walks through the set-up), with what Entra reads in each answer. The bodies are under
 * {@code src/test/resources/idp/entra/}. Entra authenticates as docs/entra-id.md sets it up: the OAuth 2.0 client
 * credentials grant at {@code /oauth/token} with an access key holding SCIM Client and one of its client secrets.
 * Single shapes are also checked in depth elsewhere (the Entra cases of {@link UsersPatchTest} and
 * {@link GroupsPatchTest}); here they run as one provisioning cycle.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class EntraReplayTest {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    /** Entra's token: client credentials of a SCIM Client key (RFC 6749 §4.4), as its provisioning job fetches it. */
    private static String clientCredentialsToken() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", GroupsFixtures.unique("entra"),
                "roles", List.of("scim-client")));
        String secret = AdminFixtures.asOwner().when()
                .post("/admin/v1/access-keys/" + key.id() + "/secrets").then().statusCode(201).extract().path("secret");
        // the form as Entra posts it, without a charset parameter (RestAssured's formParam would add ISO-8859-1)
        return given().contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&client_id=" + key.id() + "&client_secret=" + secret)
                .when().post("/oauth/token").then().statusCode(200)
                .body("token_type", equalTo("Bearer")).extract().path("access_token");
    }

    private static String body(String name, Map<String, String> values) {
        return WriteFixtures.resource("/idp/entra/" + name, values);
    }

    private static ValidatableResponse send(String token, String method, String path, String body) {
        return UserFixtures.scim(token).body(body).when().request(method, "/scim/v2" + path).then();
    }

    private static JsonPath get(String token, String path) {
        return UserFixtures.scim(token).when().get("/scim/v2" + path).then().statusCode(200)
                .contentType(startsWith("application/scim+json")).extract().jsonPath();
    }

    private static JsonPath findUser(String token, String userName) {
        return UserFixtures.scim(token).queryParam("filter", "userName eq \"" + userName + "\"")
                .when().get("/scim/v2/Users").then().statusCode(200).extract().jsonPath();
    }

    private static String createUser(String token, String userName) {
        return send(token, "POST", "/Users", body("01-create-user.json", Map.of("userName", userName,
                "externalId", UUID.randomUUID().toString()))).statusCode(201).extract().path("id");
    }

    @Test
    void rfc7644_3_3_and_3_5_2_entraUserCycle_testConnection_match_create_update_manager_appRole_disable_delete() {
        String token = clientCredentialsToken();
        // Test Connection: a userName that cannot exist answers an empty list, not an error
        assertEquals(0, findUser(token, UUID.randomUUID().toString()).getInt("totalResults"));

        String userName = GroupsFixtures.unique("entra-ana") + "@contoso.example";
        assertEquals(0, findUser(token, userName).getInt("totalResults"));
        String createBody = body("01-create-user.json", Map.of("userName", userName,
                "externalId", UUID.randomUUID().toString()));
        JsonPath created = send(token, "POST", "/Users", createBody).statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        assertEquals("Tours", created.getString("'" + ENTERPRISE + "'.department"));

        // a second create of the same userName is 409 uniqueness, after which Entra matches the user instead
        assertScimError(send(token, "POST", "/Users", createBody), 409, "uniqueness", "userName");
        assertEquals(id, findUser(token, userName).getString("Resources[0].id"));

        String email = "ana.lima-souza@contoso.example";
        JsonPath multiValued = send(token, "PATCH", "/Users/" + id, body("02-update-user-multi-valued.json",
                Map.of("email", email))).statusCode(200).extract().jsonPath();
        assertEquals(List.of(email), multiValued.getList("emails.findAll { it.type == 'work' }.value"));
        assertEquals("Lima-Souza", multiValued.getString("name.familyName"));

        String newUserName = GroupsFixtures.unique("entra-ana-renamed") + "@contoso.example";
        send(token, "PATCH", "/Users/" + id, body("03-update-user-single-valued.json", Map.of("userName", newUserName)))
                .statusCode(200).body("userName", equalTo(newUserName));

        String manager = createUser(token, GroupsFixtures.unique("entra-manager") + "@contoso.example");
        assertEquals(manager, send(token, "PATCH", "/Users/" + id, body("04-add-manager.json",
                Map.of("managerId", manager))).statusCode(200).extract().path("'" + ENTERPRISE + "'.manager.value"));

        send(token, "PATCH", "/Users/" + id, body("05-assign-app-role.json", Map.of("roleValue", "campaign-manager")))
                .statusCode(200);
        assertTrue(get(token, "/Users/" + id).getList("roles.value").contains("campaign-manager"));

        // disabling with the string "False" Entra sends (and enabling with a boolean, as it sends after the fix flag)
        send(token, "PATCH", "/Users/" + id, body("06-disable-user.json", Map.of())).statusCode(200)
                .body("active", equalTo(false));
        assertFalse(get(token, "/Users/" + id).getBoolean("active"));
        send(token, "PATCH", "/Users/" + id, body("07-enable-user.json", Map.of())).statusCode(200)
                .body("active", equalTo(true));

        JsonPath withoutManager = send(token, "PATCH", "/Users/" + id, body("08-remove-manager.json", Map.of()))
                .statusCode(200).extract().jsonPath();
        assertNull(withoutManager.get("'" + ENTERPRISE + "'.manager"));
        assertEquals("Tours", withoutManager.getString("'" + ENTERPRISE + "'.department"));

        // out of scope and hard-deleted
        send(token, "DELETE", "/Users/" + id, "").statusCode(204);
        assertScimError(send(token, "GET", "/Users/" + id, ""), 404, null, id);
        assertEquals(0, findUser(token, newUserName).getInt("totalResults"));
    }

    @Test
    void rfc7644_3_5_2_entraGroupCycle_match_create_rename_addMember_removeMember_delete() {
        String token = clientCredentialsToken();
        String member = createUser(token, GroupsFixtures.unique("entra-member") + "@contoso.example");
        String displayName = GroupsFixtures.unique("Entra Tour Guides");

        // Entra matches groups by displayName without their members
        JsonPath none = UserFixtures.scim(token).queryParam("excludedAttributes", "members")
                .queryParam("filter", "displayName eq \"" + displayName + "\"").when().get("/scim/v2/Groups").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(0, none.getInt("totalResults"));

        JsonPath created = send(token, "POST", "/Groups", body("09-create-group.json", Map.of("displayName",
                displayName, "externalId", UUID.randomUUID().toString()))).statusCode(201)
                .header("Location", notNullValue()).extract().jsonPath();
        String group = created.getString("id");
        assertEquals(List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), created.getList("schemas"),
                "the Azure AD schema URI is accepted and not kept");
        assertNull(get(token, "/Groups/" + group + "?excludedAttributes=members").get("members"));

        String renamed = displayName + " (EU)";
        send(token, "PATCH", "/Groups/" + group, body("10-update-group-name.json", Map.of("displayName", renamed)))
                .statusCode(204);
        send(token, "PATCH", "/Groups/" + group, body("11-add-member.json", Map.of("memberId", member)))
                .statusCode(204).header("ETag", notNullValue());
        assertEquals(Set.of(member), GroupsFixtures.memberIds(token, group));
        assertEquals(List.of(renamed), get(token, "/Users/" + member).getList("groups.display"));

        send(token, "PATCH", "/Groups/" + group, body("12-remove-member.json", Map.of("memberId", member)))
                .statusCode(204);
        assertEquals(Set.of(), GroupsFixtures.memberIds(token, group));

        send(token, "DELETE", "/Groups/" + group, "").statusCode(204);
        assertScimError(send(token, "GET", "/Groups/" + group, ""), 404, null, group);
    }
}
