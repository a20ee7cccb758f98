package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
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

    private static final IdpReplay ENTRA = new IdpReplay("entra");
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

    private static JsonPath findUser(String token, String userName) {
        return UserFixtures.scim(token).queryParam("filter", "userName eq \"" + userName + "\"")
                .when().get("/scim/v2/Users").then().statusCode(200).extract().jsonPath();
    }

    private static String createUser(String token, String userName) {
        return ENTRA.send(token, "POST", "/Users", ENTRA.body("01-create-user.json", Map.of("userName", userName,
                "externalId", UUID.randomUUID().toString()))).statusCode(201).extract().path("id");
    }

    @Test
    void rfc7644_3_3_and_3_5_2_entraUserCycle_testConnection_match_create_update_manager_appRole_disable_delete() {
        String token = clientCredentialsToken();
        // Test Connection: a userName that cannot exist answers an empty list, not an error
        assertEquals(0, findUser(token, UUID.randomUUID().toString()).getInt("totalResults"));

        String userName = GroupsFixtures.unique("entra-ana") + "@contoso.example";
        assertEquals(0, findUser(token, userName).getInt("totalResults"));
        String createBody = ENTRA.body("01-create-user.json", Map.of("userName", userName,
                "externalId", UUID.randomUUID().toString()));
        JsonPath created = ENTRA.send(token, "POST", "/Users", createBody).statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        assertEquals("Tours", created.getString("'" + ENTERPRISE + "'.department"));

        // a second create of the same userName is 409 uniqueness, after which Entra matches the user instead
        assertScimError(ENTRA.send(token, "POST", "/Users", createBody), 409, "uniqueness", "userName");
        assertEquals(id, findUser(token, userName).getString("Resources[0].id"));

        String email = "ana.lima-souza@contoso.example";
        JsonPath multiValued = ENTRA.send(token, "PATCH", "/Users/" + id, ENTRA.body("02-update-user-multi-valued.json",
                Map.of("email", email))).statusCode(200).extract().jsonPath();
        assertEquals(List.of(email), multiValued.getList("emails.findAll { it.type == 'work' }.value"));
        assertEquals("Lima-Souza", multiValued.getString("name.familyName"));

        String newUserName = GroupsFixtures.unique("entra-ana-renamed") + "@contoso.example";
        ENTRA.send(token, "PATCH", "/Users/" + id, ENTRA.body("03-update-user-single-valued.json",
                Map.of("userName", newUserName))).statusCode(200).body("userName", equalTo(newUserName));

        String manager = createUser(token, GroupsFixtures.unique("entra-manager") + "@contoso.example");
        assertEquals(manager, ENTRA.send(token, "PATCH", "/Users/" + id, ENTRA.body("04-add-manager.json",
                Map.of("managerId", manager))).statusCode(200).extract().path("'" + ENTERPRISE + "'.manager.value"));

        ENTRA.send(token, "PATCH", "/Users/" + id, ENTRA.body("05-assign-app-role.json",
                Map.of("roleValue", "campaign-manager"))).statusCode(200);
        assertTrue(ENTRA.get(token, "/Users/" + id).getList("roles.value").contains("campaign-manager"));

        // disabling with the string "False" Entra sends (and enabling with a boolean, as it sends after the fix flag)
        ENTRA.send(token, "PATCH", "/Users/" + id, ENTRA.body("06-disable-user.json", Map.of())).statusCode(200)
                .body("active", equalTo(false));
        assertFalse(ENTRA.get(token, "/Users/" + id).getBoolean("active"));
        ENTRA.send(token, "PATCH", "/Users/" + id, ENTRA.body("07-enable-user.json", Map.of())).statusCode(200)
                .body("active", equalTo(true));

        JsonPath withoutManager = ENTRA.send(token, "PATCH", "/Users/" + id,
                ENTRA.body("08-remove-manager.json", Map.of())).statusCode(200).extract().jsonPath();
        assertNull(withoutManager.get("'" + ENTERPRISE + "'.manager"));
        assertEquals("Tours", withoutManager.getString("'" + ENTERPRISE + "'.department"));

        // out of scope and hard-deleted
        ENTRA.send(token, "DELETE", "/Users/" + id, "").statusCode(204);
        assertScimError(ENTRA.send(token, "GET", "/Users/" + id, ""), 404, null, id);
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

        JsonPath created = ENTRA.send(token, "POST", "/Groups", ENTRA.body("09-create-group.json", Map.of("displayName",
                displayName, "externalId", UUID.randomUUID().toString()))).statusCode(201)
                .header("Location", notNullValue()).extract().jsonPath();
        String group = created.getString("id");
        assertEquals(List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), created.getList("schemas"),
                "the Azure AD schema URI is accepted and not kept");
        assertNull(ENTRA.get(token, "/Groups/" + group + "?excludedAttributes=members").get("members"));

        String renamed = displayName + " (EU)";
        ENTRA.send(token, "PATCH", "/Groups/" + group, ENTRA.body("10-update-group-name.json",
                Map.of("displayName", renamed))).statusCode(204);
        ENTRA.send(token, "PATCH", "/Groups/" + group, ENTRA.body("11-add-member.json", Map.of("memberId", member)))
                .statusCode(204).header("ETag", notNullValue());
        assertEquals(Set.of(member), GroupsFixtures.memberIds(token, group));
        assertEquals(List.of(renamed), ENTRA.get(token, "/Users/" + member).getList("groups.display"));

        ENTRA.send(token, "PATCH", "/Groups/" + group, ENTRA.body("12-remove-member.json", Map.of("memberId", member)))
                .statusCode(204);
        assertEquals(Set.of(), GroupsFixtures.memberIds(token, group));

        ENTRA.send(token, "DELETE", "/Groups/" + group, "").statusCode(204);
        assertScimError(ENTRA.send(token, "GET", "/Groups/" + group, ""), 404, null, group);
    }
}
