package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.createGroup;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@code GET /admin/v1/roles/{id}/members?startIndex=&count=}: a role's holders a page at a time, as the users list
 * pages (1-based {@code startIndex}, {@code count} 50 by default and 200 at most, {@code totalResults}); users holding
 * the role through a group (nested groups included) are listed with that group; another organization's role is a 404,
 * bad paging a 400 problem, and reading needs {@code roles:read}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RoleMembersEndpointTest {

    private static String createRole(String token, String name) {
        return as(token).body(Map.of("name", name, "permissions", List.of("campaigns:read"))).when()
                .post("/admin/v1/roles").then().statusCode(201).extract().path("id");
    }

    private static String person(String scimToken, String userName, String displayName) {
        return given().auth().oauth2(scimToken).contentType(AdminFixtures.SCIM_JSON)
                .body(Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", userName,
                        "displayName", displayName))
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
    }

    @Test
    void anotherOrganizationsRoleAndAnUnknownIdAre404() {
        String theirs = createRole(Tokens.owner(), unique("Not yours"));
        bind("users", AdminFixtures.createUser().id(), theirs, null);
        String otherOwner = Tokens.newOrganization(unique("other-org")).token();
        assertProblem(as(otherOwner).when().get("/admin/v1/roles/" + theirs + "/members").then(), 404, theirs);
        assertProblem(asOwner().when().get("/admin/v1/roles/00000000-0000-7000-8000-000000000000/members").then(), 404,
                "");
        assertProblem(asOwner().when().get("/admin/v1/roles/not-an-id/members").then(), 404, "");
    }

    @Test
    void readingMembersNeedsRolesRead() {
        String role = createRole(Tokens.owner(), unique("Guarded"));
        assertProblem(as(Tokens.withRoles("inbox-agent")).when().get("/admin/v1/roles/" + role + "/members").then(), 403,
                "roles:read");
    }

    @Test
    void badPagingIsA400ProblemNamingTheParameter() {
        String role = createRole(Tokens.owner(), unique("Paged badly"));
        String members = "/admin/v1/roles/" + role + "/members";
        assertProblem(asOwner().queryParam("startIndex", "0").when().get(members).then(), 400, "startIndex=0");
        assertProblem(asOwner().queryParam("count", "-1").when().get(members).then(), 400, "count=-1");
        assertProblem(asOwner().queryParam("startIndex", "abc").when().get(members).then(), 400, "'startIndex'");
        assertProblem(asOwner().queryParam("count", "ten").when().get(members).then(), 400, "'count'");
        assertProblem(asOwner().queryParam("count", "99999999999").when().get(members).then(), 400, "'count'");
    }

    @Test
    void holdersArePagedGroupsFirstThenUsersByUserNameThenAccessKeys() {
        String role = createRole(Tokens.owner(), unique("Paged"));
        String prefix = unique("paged");
        List<String> userNames = List.of(prefix + "-c@example.com", prefix + "-a@example.com", prefix + "-b@example.com");
        for (String userName : userNames) {
            bind("users", person(AdminFixtures.scimToken(), userName, "Paged " + userName), role, null);
        }
        String group = createGroup(unique("Paged group"));
        bind("groups", group, role, null);
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", unique("paged key"), "roles", List.of(role)));

        List<String> seen = new ArrayList<>();
        for (int start = 1; start <= 5; start += 2) {
            JsonPath page = asOwner().queryParam("startIndex", start).queryParam("count", 2).when()
                    .get("/admin/v1/roles/" + role + "/members").then().statusCode(200)
                    .body("totalResults", equalTo(5)).body("startIndex", equalTo(start))
                    .extract().jsonPath();
            assertEquals(Math.min(2, 5 - start + 1), page.getInt("itemsPerPage"));
            seen.addAll(page.getList("items.id"));
        }
        List<String> users = asOwner().when().get("/admin/v1/roles/" + role + "/members").then().statusCode(200)
                .extract().jsonPath().getList("items.findAll { it.kind == 'user' }.display");
        assertEquals(List.of(prefix + "-a@example.com", prefix + "-b@example.com", prefix + "-c@example.com"), users);
        assertEquals(group, seen.get(0), "groups first");
        assertEquals(key.id(), seen.get(4), "access keys last");
        assertEquals(5, seen.stream().distinct().count(), "no holder twice across pages: " + seen);

        asOwner().queryParam("startIndex", 6).when().get("/admin/v1/roles/" + role + "/members").then().statusCode(200)
                .body("totalResults", equalTo(5)).body("itemsPerPage", equalTo(0)).body("items", empty());
        asOwner().queryParam("count", 0).when().get("/admin/v1/roles/" + role + "/members").then().statusCode(200)
                .body("totalResults", equalTo(5)).body("items", empty());
    }

    @Test
    void usersHoldingTheRoleThroughAGroupAreListedWithTheGroupAndItsBinding() {
        String role = createRole(Tokens.owner(), unique("Through groups"));
        String prefix = unique("via");
        String ana = person(AdminFixtures.scimToken(), prefix + "-ana@example.com", "Ana");
        String bo = person(AdminFixtures.scimToken(), prefix + "-bo@example.com", "Bo");
        String cy = person(AdminFixtures.scimToken(), prefix + "-cy@example.com", "Cy");
        String nestedName = unique("Nested team");
        String nested = createGroup(nestedName, bo);
        String teamName = unique("Team");
        String team = createGroup(teamName, ana, nested, cy);
        String teamBinding = bind("groups", team, role, null);
        String cyOwn = bind("users", cy, role, null);

        JsonPath page = asOwner().when().get("/admin/v1/roles/" + role + "/members").then().statusCode(200)
                .body("totalResults", equalTo(5)).extract().jsonPath();
        assertEquals(List.of("group", "user", "user", "user", "user"), page.getList("items.kind"));
        assertEquals(List.of(team, ana, bo, cy, cy), page.getList("items.id"));
        // Ana directly in the team, Bo through the nested group: both hold it through the team's binding
        for (int i : new int[] {1, 2}) {
            assertEquals(team, page.getString("items[" + i + "].via.id"));
            assertEquals(teamName, page.getString("items[" + i + "].via.display"));
            assertEquals(teamBinding, page.getString("items[" + i + "].bindingId"));
        }
        assertEquals("Ana", page.getString("items[1].displayName"));
        // Cy twice: its own binding (no via) first, then through the team
        assertEquals(cyOwn, page.getString("items[3].bindingId"));
        assertNull(page.get("items[3].via"));
        assertEquals(team, page.getString("items[4].via.id"));
        // the role's users count counts each user once
        asOwner().when().get("/admin/v1/roles/" + role).then().statusCode(200).body("counts.users", equalTo(3));
    }

    @Test
    void aHolderCarriesItsBindingNamesAndWhatRollcallKnowsOfItsLastActivity() {
        String roleName = unique("Members shown");
        String roleId = createRole(Tokens.owner(), roleName);
        String userName = unique("cyd") + "@example.com";
        String cyd = person(AdminFixtures.scimToken(), userName, "Cyd Charisse");
        String userBinding = bind("users", cyd, roleId, null);
        String groupName = unique("Dancers");
        String group = createGroup(groupName);
        String groupBinding = bind("groups", group, roleId, null);
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", unique("members key"), "roles", List.of(roleId)));
        as(key.token()).when().get("/admin/v1/me").then().statusCode(200);

        asOwner().when().get("/admin/v1/roles/" + roleId + "/members").then().statusCode(200)
                .body("items.kind", contains("group", "user", "access_key"))
                .body("items[0].bindingId", equalTo(groupBinding))
                .body("items[0].displayName", equalTo(groupName))
                .body("items[0].lastModified", nullValue())
                .body("items[1].bindingId", equalTo(userBinding))
                .body("items[1].display", equalTo(userName))
                .body("items[1].displayName", equalTo("Cyd Charisse"))
                .body("items[1].source", equalTo("local"))
                .body("items[1].lastModified", notNullValue())
                .body("items[1].lastUsedAt", nullValue())
                .body("items[2].id", equalTo(key.id()))
                .body("items[2].lastUsedAt", notNullValue());
        // the role itself no longer carries its holders unpaged
        asOwner().when().get("/admin/v1/roles/" + roleId).then().statusCode(200).body("$", not(hasKey("members")));
        // the binding id is the one the user's roles take (once Cyd has another role: a user keeps one)
        bind("users", cyd, "inbox-agent", null);
        asOwner().when().delete("/admin/v1/users/" + cyd + "/roles/" + userBinding).then().statusCode(204);
    }
}
