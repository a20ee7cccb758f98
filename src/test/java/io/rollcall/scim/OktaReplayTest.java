package io.rollcall.scim;

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
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * Okta's provisioning requests replayed in the order Okta sends them (developer.okta.com, "SCIM 2.0 protocol
 * reference" and the OIN SCIM test plan; docs/okta.md walks through the set-up), with what Okta reads in each answer.
 * The bodies are under {@code src/test/resources/idp/okta/}; the key is an access key holding SCIM Client only, sent
 * as Okta's "HTTP Header" authorization. Single shapes are also checked in depth elsewhere ({@link OktaUsersTest}, the
 * Okta cases of {@link UsersPatchTest} and {@link GroupsPatchTest}); here they run as one provisioning cycle.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OktaReplayTest {

    private static final IdpReplay OKTA = new IdpReplay("okta");
    private static final String LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    private static final String ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";

    /** Okta's lookup before it creates or links a user: {@code userName eq}, first page of 100. */
    private static JsonPath findUser(String token, String userName) {
        return UserFixtures.scim(token).queryParam("filter", "userName eq \"" + userName + "\"")
                .queryParam("startIndex", 1).queryParam("count", 100).when().get("/scim/v2/Users").then()
                .statusCode(200).body("schemas", equalTo(List.of(LIST))).extract().jsonPath();
    }

    private static String createUser(String token, String userName) {
        return OKTA.send(token, "POST", "/Users", OKTA.body("01-create-user.json", Map.of("userName", userName,
                "externalId", externalId()))).statusCode(201).extract().path("id");
    }

    /** Okta user ids look like 00u1a2b3c4d5e6f7g8h9. */
    private static String externalId() {
        return "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
    }

    @Test
    void rfc7644_3_3_and_3_5_oktaUserCycle_testConnector_lookup_create_update_deactivate_reactivate() {
        String token = Tokens.scimClient();
        // Test Connector Configuration: a first page of two users
        OKTA.get(token, "/Users?startIndex=1&count=2");
        String userName = GroupsFixtures.unique("okta-ana") + "@okta.example";
        String externalId = externalId();

        // not there yet: Okta creates (an empty list, not a 404)
        JsonPath none = findUser(token, userName);
        assertEquals(0, none.getInt("totalResults"));
        assertEquals(List.of(), none.getList("Resources"));

        JsonPath created = OKTA.send(token, "POST", "/Users", OKTA.body("01-create-user.json",
                Map.of("userName", userName, "externalId", externalId))).statusCode(201)
                .header("Location", notNullValue()).extract().jsonPath();
        String id = created.getString("id");
        assertEquals(userName, created.getString("userName"));
        assertTrue(created.getBoolean("active"));
        assertFalse(created.getMap("").containsKey("password"), "never returned (RFC 7643 §4.1.1)");

        // the next lookup finds it, whatever the case of userName (caseExact false)
        JsonPath found = findUser(token, userName.toUpperCase());
        assertEquals(1, found.getInt("totalResults"));
        assertEquals(id, found.getString("Resources[0].id"));
        String createdAt = OKTA.get(token, "/Users/" + id).getString("meta.created");

        // profile push: the full-object PUT (read-only id, meta and groups echoed back)
        JsonPath put = OKTA.send(token, "PUT", "/Users/" + id, OKTA.body("02-update-user-put.json", Map.of("id", id,
                "userName", userName, "externalId", externalId))).statusCode(200).extract().jsonPath();
        assertEquals("Lima-Souza", put.getString("name.familyName"));
        assertEquals(createdAt, put.getString("meta.created"), "meta from the body is ignored");

        // profile push as PATCH (newer integrations), then deactivation and reactivation
        assertEquals("Tour Guide", OKTA.send(token, "PATCH", "/Users/" + id,
                OKTA.body("03-update-user-patch.json", Map.of())).statusCode(200).extract().path("title"));
        OKTA.send(token, "PATCH", "/Users/" + id, OKTA.body("04-deactivate-user.json", Map.of())).statusCode(200)
                .body("active", equalTo(false));
        assertFalse(OKTA.get(token, "/Users/" + id).getBoolean("active"));
        OKTA.send(token, "PATCH", "/Users/" + id, OKTA.body("05-reactivate-user.json", Map.of())).statusCode(200)
                .body("active", equalTo(true));
        assertEquals("Ana Souza", OKTA.get(token, "/Users/" + id).getString("displayName"));
    }

    @Test
    void rfc7644_3_5_2_oktaGroupPush_lookup_create_addMembers_rename_removeMember_replaceMembers_delete() {
        String token = Tokens.scimClient();
        String anaName = GroupsFixtures.unique("okta-ana") + "@okta.example";
        String boName = GroupsFixtures.unique("okta-bo") + "@okta.example";
        String ana = createUser(token, anaName);
        String bo = createUser(token, boName);
        String displayName = GroupsFixtures.unique("Okta Tour Guides");

        JsonPath none = OKTA.get(token, "/Groups?filter=" + "displayName eq \"" + displayName
                + "\"&startIndex=1&count=100");
        assertEquals(0, none.getInt("totalResults"));
        String group = OKTA.send(token, "POST", "/Groups", OKTA.body("06-create-group.json",
                Map.of("displayName", displayName))).statusCode(201).body("displayName", equalTo(displayName))
                .extract().path("id");

        // membership pushes answer 204 with the new ETag (Okta reads no body)
        OKTA.send(token, "PATCH", "/Groups/" + group, OKTA.body("07-add-members.json", Map.of("firstId", ana,
                "firstDisplay", anaName, "secondId", bo, "secondDisplay", boName))).statusCode(204)
                .header("ETag", notNullValue());
        assertEquals(Set.of(ana, bo), GroupsFixtures.memberIds(token, group));

        String renamed = displayName + " EU";
        OKTA.send(token, "PATCH", "/Groups/" + group, OKTA.body("08-rename-group.json", Map.of("groupId", group,
                "displayName", renamed))).statusCode(204);
        assertEquals(renamed, OKTA.get(token, "/Groups/" + group).getString("displayName"));
        assertEquals(List.of(renamed), OKTA.get(token, "/Users/" + ana).getList("groups.display"));

        OKTA.send(token, "PATCH", "/Groups/" + group, OKTA.body("09-remove-member.json", Map.of("memberId", ana)))
                .statusCode(204);
        assertEquals(Set.of(bo), GroupsFixtures.memberIds(token, group));
        OKTA.send(token, "PATCH", "/Groups/" + group, OKTA.body("10-replace-members.json", Map.of("memberId", ana,
                "memberDisplay", anaName))).statusCode(204);
        assertEquals(Set.of(ana), GroupsFixtures.memberIds(token, group));

        // unlinking a pushed group with "delete the group in the app"
        OKTA.send(token, "DELETE", "/Groups/" + group, "").statusCode(204);
        assertScimError(OKTA.send(token, "GET", "/Groups/" + group, ""), 404, null, group);
        assertNull(OKTA.get(token, "/Users/" + ana).get("groups"), "ana is in no group any more");
    }

    @Test
    void rfc7644_3_3_oktaEntitlements_rolesDiscoveredOnRolesAndAssignedOnCreate() {
        String token = Tokens.scimClient();
        // entitlement discovery reads id, displayName and description of /Roles
        JsonPath roles = OKTA.get(token, "/Roles?startIndex=1&count=100");
        assertTrue(roles.getInt("totalResults") > 0);
        JsonPath role = OKTA.get(token, "/Roles?filter=" + ACCESS + ":value eq \"campaign-manager\"");
        String roleId = role.getString("Resources[0].id");
        String roleName = role.getString("Resources[0].displayName");

        String userName = GroupsFixtures.unique("okta-bo") + "@okta.example";
        String id = OKTA.send(token, "POST", "/Users", OKTA.body("11-create-user-with-roles.json", Map.of("userName",
                userName, "externalId", externalId(), "roleId", roleId, "roleDisplay", roleName))).statusCode(201)
                .extract().path("id");
        assertEquals(List.of("campaign-manager"), OKTA.get(token, "/Users/" + id).getList("roles.value"));
    }
}
