package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.createGroup;
import static io.rollcall.support.AdminFixtures.createUser;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.AdminFixtures.User;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * What the console reads besides roles: {@code GET /admin/v1/me} (the caller's roles and effective permissions), the
 * users list with search and one user with every binding reaching it, and the permission sections' descriptions.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ConsoleReadsTest {

    @Test
    void meNamesTheKeyItsRolesAndOnlyThePermissionsItHolds() {
        String name = unique("inbox-key");
        String token = Tokens.createKey(Map.of("name", name, "roles", List.of("inbox-agent"))).token();
        as(token).when().get("/admin/v1/me").then().statusCode(200)
                .body("kind", equalTo("access_key"))
                .body("name", equalTo(name))
                .body("roles", contains("inbox-agent"))
                .body("permissions", not(hasItem("roles:read")))
                .body("permissions", not(hasItem("roles:manage")));
        asOwner().when().get("/admin/v1/me").then().statusCode(200)
                .body("roles", contains("organization-owner"))
                .body("permissions", hasItem("roles:manage"))
                .body("permissions", hasItem("access-keys:manage"))
                .body("permissions", not(hasItem("scim:provision")));
        as(AdminFixtures.scimToken()).when().get("/admin/v1/me").then().statusCode(200)
                .body("permissions", hasItem("scim:provision"));
    }

    @Test
    void searchesUsersByUserNameOrDisplayNameInAnyCase() {
        User ana = createUser();
        String word = ana.userName().substring(5, 13);
        asOwner().queryParam("search", word.toUpperCase()).when().get("/admin/v1/users").then().statusCode(200)
                .body("totalResults", equalTo(1))
                .body("items[0].id", equalTo(ana.id()))
                .body("items[0].userName", equalTo(ana.userName()))
                .body("items[0].active", equalTo(true))
                .body("items[0].roles", contains("Knowledge base user"));
        asOwner().queryParam("search", "no-such-user-" + word).when().get("/admin/v1/users").then().statusCode(200)
                .body("totalResults", equalTo(0)).body("items", empty());
        // LIKE's wildcards are taken literally
        asOwner().queryParam("search", "%").when().get("/admin/v1/users").then().statusCode(200)
                .body("totalResults", equalTo(0));
    }

    @Test
    void listsUsersInPages() {
        createUser();
        createUser();
        asOwner().queryParam("count", 1).queryParam("startIndex", 2).when().get("/admin/v1/users").then()
                .statusCode(200).body("itemsPerPage", equalTo(1)).body("startIndex", equalTo(2))
                .body("items[0].userName", notNullValue());
        assertProblem(asOwner().queryParam("startIndex", 0).when().get("/admin/v1/users").then(), 400, "startIndex");
    }

    @Test
    void usersNeedUsersRead() {
        String token = Tokens.withRoles("inbox-agent");
        assertProblem(as(token).when().get("/admin/v1/users").then(), 403, "users:read");
    }

    @Test
    void oneUserShowsItsOwnBindingsAndThoseItHoldsThroughAGroup() {
        User bo = createUser();
        bind("users", bo.id(), "campaign-manager", null);
        String group = createGroup(unique("Support"), bo.id());
        bind("groups", group, "inbox-agent", null);
        asOwner().when().get("/admin/v1/users/" + bo.id()).then().statusCode(200)
                .body("userName", equalTo(bo.userName()))
                .body("roles.role.value", containsInAnyOrder("campaign-manager", "inbox-agent"))
                .body("roles.find { it.role.value == 'campaign-manager' }.via", nullValue())
                .body("roles.find { it.role.value == 'campaign-manager' }.source", equalTo("local"))
                .body("roles.find { it.role.value == 'inbox-agent' }.via.id", equalTo(group));
        assertProblem(asOwner().when().get("/admin/v1/users/00000000-0000-7000-8000-000000000000").then(), 404, "");
    }

    @Test
    void aRolesMembersCarryTheirBindingNamesAndWhatRollcallKnowsOfTheirLastActivity() {
        String roleName = unique("Members shown");
        String roleId = asOwner().body(Map.of("name", roleName, "permissions", List.of("campaigns:read"))).when()
                .post("/admin/v1/roles").then().statusCode(201).extract().path("id");
        String userName = unique("cyd") + "@example.com";
        String cyd = given().auth().oauth2(AdminFixtures.scimToken()).contentType(AdminFixtures.SCIM_JSON)
                .body(Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", userName,
                        "displayName", "Cyd Charisse"))
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
        String userBinding = bind("users", cyd, roleId, null);
        String groupName = unique("Dancers");
        String group = createGroup(groupName);
        String groupBinding = bind("groups", group, roleId, null);
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", unique("members key"), "roles", List.of(roleId)));
        as(key.token()).when().get("/admin/v1/me").then().statusCode(200);

        var role = asOwner().when().get("/admin/v1/roles/" + roleId).then().statusCode(200);
        role.body("members.kind", contains("user", "group", "access_key"))
                .body("members[0].bindingId", equalTo(userBinding))
                .body("members[0].display", equalTo(userName))
                .body("members[0].displayName", equalTo("Cyd Charisse"))
                .body("members[0].lastModified", notNullValue())
                .body("members[0].lastUsedAt", nullValue())
                .body("members[1].bindingId", equalTo(groupBinding))
                .body("members[1].displayName", equalTo(groupName))
                .body("members[1].lastModified", nullValue())
                .body("members[2].id", equalTo(key.id()))
                .body("members[2].lastUsedAt", notNullValue());
        // the binding id is the one the user's roles take (once Cyd has another role: a user keeps one)
        bind("users", cyd, "inbox-agent", null);
        asOwner().when().delete("/admin/v1/users/" + cyd + "/roles/" + userBinding).then().statusCode(204);
    }

    @Test
    void everyPermissionSectionHasADescription() {
        asOwner().when().get("/admin/v1/permissions").then().statusCode(200)
                .body("sections.description", everyItem(not(equalTo(""))))
                .body("sections.find { it.name == 'Campaigns' }.description", notNullValue());
    }
}
