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
import static org.hamcrest.Matchers.lessThanOrEqualTo;
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
    void rfc9457_badPagingOfUsersIsA400ProblemNamingTheParameterNotA404() {
        assertProblem(asOwner().queryParam("startIndex", "abc").when().get("/admin/v1/users").then(), 400,
                "'startIndex'");
        assertProblem(asOwner().queryParam("count", "x").when().get("/admin/v1/users").then(), 400, "'count'");
        assertProblem(asOwner().queryParam("count", "99999999999").when().get("/admin/v1/users").then(), 400,
                "'count'");
        assertProblem(asOwner().queryParam("count", "-1").when().get("/admin/v1/users").then(), 400, "count=-1");
    }

    @Test
    void aUsersPageLargerThanTheMaximumIsCutToIt() {
        asOwner().queryParam("count", 100_000).when().get("/admin/v1/users").then().statusCode(200)
                .body("itemsPerPage", lessThanOrEqualTo(200));
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
    void everyPermissionSectionHasADescription() {
        asOwner().when().get("/admin/v1/permissions").then().statusCode(200)
                .body("sections.description", everyItem(not(equalTo(""))))
                .body("sections.find { it.name == 'Campaigns' }.description", notNullValue());
    }
}
