package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
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

/** {@code /admin/v1/roles}: listing with counts, search, and the custom role life cycle, each behind its permission. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RolesAdminEndpointTest {

    private static final String ROLES = "/admin/v1/roles";

    private static ValidatableResponse post(String token, String path, Object body) {
        return given().auth().oauth2(token).contentType("application/json").body(body).when().post(path).then();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theListShowsAssignableRolesWithTheirCountsButNoInternalOnes() {
        given().auth().oauth2(Tokens.owner()).when().get(ROLES).then().statusCode(200)
                .body("items.value", hasItem("campaign-manager"))
                .body("items.value", not(hasItem("visitor")))
                .body("items.find { it.value == 'scim-client' }.counts.permissions", equalTo(3))
                .body("items.find { it.value == 'organization-owner' }.counts.accessKeys", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void searchFindsRolesByWordsInNameOrDescriptionAndFiltersByType() {
        given().auth().oauth2(Tokens.owner()).queryParam("search", "CHATBOT").queryParam("type", "managed")
                .when().get(ROLES).then().statusCode(200)
                .body("items.value", equalTo(List.of("chatbot-designer", "chatbot-publisher", "chatbots-view-only")));
        assertProblem(given().auth().oauth2(Tokens.owner()).queryParam("type", "weird").when().get(ROLES).then(), 400,
                "managed or custom");
    }

    @Test
    void readingNeedsRolesRead() {
        assertProblem(given().auth().oauth2(Tokens.withRoles("finance-manager")).when().get(ROLES).then(), 403,
                "roles:read");
    }

    @Test
    void aCustomRoleIsCreatedEditedDuplicatedAndDeleted() {
        String name = "Report viewer " + suffix();
        JsonPath created = post(Tokens.owner(), ROLES, Map.of("name", name, "description", "Reads reports",
                "permissions", List.of("reports:read"), "policies", List.of("TemplatesRead"))).statusCode(201)
                .extract().jsonPath();
        assertEquals("custom", created.getString("type"));
        assertEquals(List.of("reports:read", "templates:read"), created.getList("permissions"));
        String id = created.getString("id");
        given().auth().oauth2(Tokens.owner()).contentType("application/json")
                .body(Map.of("name", name, "permissions", List.of("reports:read", "reports:manage")))
                .when().put(ROLES + "/" + id).then().statusCode(200)
                .body("permissions", equalTo(List.of("reports:manage", "reports:read")))
                .body("policies", equalTo(List.of()));
        JsonPath copy = post(Tokens.owner(), ROLES + "/" + id + "/duplicate", Map.of("name", name + " (copy)"))
                .statusCode(201).extract().jsonPath();
        assertEquals(List.of("reports:manage", "reports:read"), copy.getList("permissions"));
        given().auth().oauth2(Tokens.owner()).when().delete(ROLES + "/" + copy.getString("id")).then().statusCode(204);
        given().auth().oauth2(Tokens.owner()).when().get(ROLES + "/" + copy.getString("id")).then().statusCode(404);
    }

    @Test
    void managingNeedsRolesManage() {
        assertProblem(post(Tokens.withRoles("account-admin"), ROLES, Map.of("name", "Nope " + suffix())), 403,
                "roles:manage");
    }

    @Test
    void aDuplicateNameIsAConflict() {
        assertProblem(post(Tokens.owner(), ROLES, Map.of("name", "campaign MANAGER")), 409, "exists");
    }

    @Test
    void managedRolesCannotBeEditedNorDeleted() {
        String id = given().auth().oauth2(Tokens.owner()).queryParam("search", "content manager").when().get(ROLES)
                .then().statusCode(200).extract().path("items.find { it.value == 'content-manager' }.id");
        assertProblem(given().auth().oauth2(Tokens.owner()).contentType("application/json")
                .body(Map.of("name", "Mine")).when().put(ROLES + "/" + id).then(), 400, "managed role");
        assertProblem(given().auth().oauth2(Tokens.owner()).when().delete(ROLES + "/" + id).then(), 400, "managed role");
    }

    @Test
    void unknownPermissionsAndPoliciesAreNamed() {
        assertProblem(post(Tokens.owner(), ROLES, Map.of("name", "Bad " + suffix(), "permissions",
                List.of("campaigns:fly"))), 400, "campaigns:fly");
        assertProblem(post(Tokens.owner(), ROLES, Map.of("name", "Bad " + suffix(), "policies",
                List.of("NoSuchPolicy"))), 400, "NoSuchPolicy");
        // a JSON null in the list was a 500
        assertProblem(post(Tokens.owner(), ROLES, Map.of("name", "Bad " + suffix(), "permissions",
                List.of("campaigns:read"), "policies", Arrays.asList((String) null))), 400, "'policies' holds a null");
    }

    @Test
    void aRolePicksPoliciesByIdOrByNameInAnyCaseButNeverAnotherRolesPrivateOne() {
        String policyName = "Reports reader " + suffix();
        String policy = post(Tokens.owner(), "/admin/v1/policies", Map.of("name", policyName, "statements",
                List.of(Map.of("effect", "allow", "permissions", List.of("reports:read"))))).statusCode(201)
                .extract().path("id");
        JsonPath byId = post(Tokens.owner(), ROLES, Map.of("name", "By id " + suffix(), "policies",
                List.of(policy, "templatesread"))).statusCode(201).extract().jsonPath();
        assertEquals(List.of(policyName, "TemplatesRead"), byId.getList("policies.display"));
        JsonPath byName = post(Tokens.owner(), ROLES, Map.of("name", "By name " + suffix(), "policies",
                List.of(policyName.toUpperCase()))).statusCode(201).extract().jsonPath();
        assertEquals(List.of(policy), byName.getList("policies.value"));

        String authored = post(Tokens.owner(), ROLES, Map.of("name", "Authored " + suffix(), "permissions",
                List.of("reports:read"))).statusCode(201).extract().path("id");
        assertProblem(post(Tokens.owner(), ROLES, Map.of("name", "Sneaky " + suffix(), "policies",
                List.of("role-permissions:" + authored))), 400, "role-permissions:" + authored);
    }

    /**
     * In an organization of its own (its settings and its fallback role's holders are the test's alone): a custom role
     * made the fallback role, held by a user for want of any other, is refused deletion as the fallback role (not by
     * the rule that would orphan its holder, which comes after) and stays, held; its duplicate keeps no members.
     */
    @Test
    void theFallbackRoleCannotBeDeletedAndDuplicatesKeepNoMembers() {
        String owner = Tokens.newOrganization("fallback-delete-" + suffix()).token();
        String name = "Fallback " + suffix();
        String id = post(owner, ROLES, Map.of("name", name, "permissions", List.of("knowledge-base:read")))
                .statusCode(201).extract().path("id");
        given().auth().oauth2(owner).contentType("application/json").body(Map.of("fallbackRole", id))
                .when().put("/admin/v1/settings").then().statusCode(200);
        String user = given().auth().oauth2(Tokens.withRolesIn(owner, "scim-client")).contentType("application/scim+json")
                .body(Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                        "userName", "fallback-" + suffix() + "@example.com"))
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
        given().auth().oauth2(owner).when().get(ROLES + "/" + id + "/members").then().statusCode(200)
                .body("items.id", equalTo(List.of(user)));

        assertProblem(given().auth().oauth2(owner).when().delete(ROLES + "/" + id).then(), 409,
                "'" + name + "' is the organization's fallback role");

        given().auth().oauth2(owner).when().get(ROLES + "/" + id + "/members").then().statusCode(200)
                .body("items.id", equalTo(List.of(user)));
        given().auth().oauth2(owner).when().get("/admin/v1/settings").then().statusCode(200)
                .body("fallbackRole", equalTo(given().auth().oauth2(owner).when().get(ROLES + "/" + id).then()
                        .extract().path("value")));
        JsonPath copy = post(owner, ROLES + "/" + id + "/duplicate", Map.of("name", "Copy " + suffix()))
                .statusCode(201).extract().jsonPath();
        assertEquals(0, copy.getInt("counts.users"));
        given().auth().oauth2(owner).when().get(ROLES + "/" + copy.getString("id")).then().statusCode(200)
                .body("permissions", equalTo(List.of("knowledge-base:read")));
        given().auth().oauth2(owner).when().get(ROLES + "/" + copy.getString("id") + "/members").then().statusCode(200)
                .body("items", equalTo(List.of()));

        // the managed fallback role of the shared organization duplicates without its holders too
        String managed = given().auth().oauth2(Tokens.owner()).when().get(ROLES).then().statusCode(200).extract()
                .path("items.find { it.value == 'knowledge-base-user' }.id");
        JsonPath managedCopy = post(Tokens.owner(), ROLES + "/" + managed + "/duplicate", Map.of("name", "KB " + suffix()))
                .statusCode(201).extract().jsonPath();
        assertEquals(0, managedCopy.getInt("counts.users"));
        given().auth().oauth2(Tokens.owner()).when().get(ROLES + "/" + managedCopy.getString("id")).then()
                .statusCode(200).body("policies.display", everyItem(equalTo("KnowledgeBaseRead")));
        given().auth().oauth2(Tokens.owner()).when().get(ROLES + "/" + managedCopy.getString("id") + "/members").then()
                .statusCode(200).body("items", equalTo(List.of()));
    }
}
