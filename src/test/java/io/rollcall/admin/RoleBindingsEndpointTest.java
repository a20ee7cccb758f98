package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.bindings;
import static io.rollcall.support.AdminFixtures.createGroup;
import static io.rollcall.support.AdminFixtures.createUser;
import static io.rollcall.support.AdminFixtures.createWorkspace;
import static io.rollcall.support.AdminFixtures.fixture;
import static io.rollcall.support.AdminFixtures.scimToken;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.AdminFixtures.User;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@code /admin/v1/users/{id}/roles} and {@code /admin/v1/groups/{id}/roles}: list, bind, unbind under the access rules:
 * 1 (an active user keeps a role), 3 (an active human keeps Organization Owner), 4 (internal roles), 5 (SCIM Client on
 * access keys only), 6 (no escalation).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RoleBindingsEndpointTest {

    // --- List -------------------------------------------------------------------------------------------------------

    @Test
    void aNewUserShowsTheFallbackRoleFromTheSystem() {
        User user = createUser();
        asOwner().when().get(roles(user)).then().statusCode(200)
                .body("totalResults", equalTo(1))
                .body("items[0].id", notNullValue())
                .body("items[0].role.value", equalTo("knowledge-base-user"))
                .body("items[0].role.name", equalTo("Knowledge base user"))
                .body("items[0].role.id", notNullValue())
                .body("items[0].workspace", nullValue())
                .body("items[0].source", equalTo("system"));
    }

    @Test
    void returns404ForAnUnknownOrMalformedUserOrGroup() {
        String id = UUID.randomUUID().toString();
        assertProblem(asOwner().when().get("/admin/v1/users/" + id + "/roles").then(), 404, id);
        assertProblem(asOwner().when().get("/admin/v1/groups/" + id + "/roles").then(), 404, id);
        assertProblem(asOwner().body(Map.of("role", "inbox-agent")).when().post("/admin/v1/users/" + id + "/roles")
                .then(), 404, id);
        assertProblem(asOwner().body(Map.of("role", "inbox-agent")).when().post("/admin/v1/groups/" + id + "/roles")
                .then(), 404, id);
        assertProblem(asOwner().when().delete("/admin/v1/users/" + id + "/roles/" + UUID.randomUUID()).then(), 404, id);
        assertProblem(asOwner().when().get("/admin/v1/users/nobody/roles").then(), 404, "nobody");
    }

    @Test
    void aGroupIdIsNotAUserId() {
        String group = createGroup(unique("not a user"));
        assertProblem(asOwner().when().get("/admin/v1/users/" + group + "/roles").then(), 404, group);
    }

    // --- Bind -------------------------------------------------------------------------------------------------------

    @Test
    void bindsARoleToAUserInPlaceOfTheFallbackRole() {
        User user = createUser();
        var response = asOwner().body(Map.of("role", "Inbox Agent")).when().post(roles(user))
                .then().statusCode(201)
                .body("role.value", equalTo("inbox-agent"))
                .body("workspace", nullValue())
                .body("source", equalTo("local"))
                .extract();
        org.hamcrest.MatcherAssert.assertThat(response.header("Location"),
                endsWith(roles(user) + "/" + response.jsonPath().getString("id")));
        assertEquals(List.of("inbox-agent local"), bindings("users", user.id()));
    }

    @Test
    void bindsARoleInAWorkspaceNamedByName() {
        User user = createUser();
        String name = unique("Bound here");
        String workspaceId = createWorkspace(name);
        asOwner().body(Map.of("role", "campaign-manager", "workspace", name.toLowerCase())).when().post(roles(user))
                .then().statusCode(201)
                .body("workspace.id", equalTo(workspaceId))
                .body("workspace.name", equalTo(name));
    }

    @Test
    void bindingARoleAlreadyHeldAnswers200WithTheSameBinding() {
        User user = createUser();
        String id = bind("users", user.id(), "inbox-agent", null);
        asOwner().body(Map.of("role", "inbox-agent")).when().post(roles(user))
                .then().statusCode(200).body("id", equalTo(id));
        assertEquals(List.of("inbox-agent local"), bindings("users", user.id()));
    }

    @Test
    void bindingTheFallbackRoleExplicitlyMakesItLocal() {
        User user = createUser();
        asOwner().body(Map.of("role", "knowledge-base-user")).when().post(roles(user))
                .then().statusCode(200).body("source", equalTo("local"));
        assertEquals(List.of("knowledge-base-user local"), bindings("users", user.id()));
    }

    @Test
    void aBindingShowsInTheUsersScimRolesWithANewVersion() {
        User user = createUser();
        String etag = scimUser(user.id()).header("ETag");
        bind("users", user.id(), "agent-for-conversations", null);
        var after = scimUser(user.id());
        assertNotEquals(etag, after.header("ETag"));
        assertEquals(List.of("agent-for-conversations"), after.jsonPath().getList("roles.value"));
    }

    @Test
    void bindsARoleToAGroupWhoseMembersThenLoseTheFallbackRole() {
        User user = createUser();
        String group = createGroup(unique("agents"), user.id());
        asOwner().body(Map.of("role", "inbox-agent")).when().post("/admin/v1/groups/" + group + "/roles")
                .then().statusCode(201).body("role.value", equalTo("inbox-agent")).body("source", equalTo("local"));
        assertEquals(List.of("inbox-agent local"), bindings("groups", group));
        assertEquals(List.of(), bindings("users", user.id()), "the group's role is enough");
    }

    @Test
    void refusesAnUnknownRoleOrWorkspaceNamingItWith400() {
        User user = createUser();
        assertProblem(asOwner().body(Map.of("role", "Galactic Emperor")).when().post(roles(user)).then(), 400,
                "'Galactic Emperor'").body("scimType", equalTo("invalidValue"));
        assertProblem(asOwner().body(Map.of("role", "inbox-agent", "workspace", "Atlantis")).when().post(roles(user))
                .then(), 400, "'Atlantis'");
    }

    @Test
    void refusesAMissingOrMalformedRoleWith400() {
        User user = createUser();
        assertProblem(asOwner().body(Map.of("workspace", "x")).when().post(roles(user)).then(), 400, "'role' is required");
        assertProblem(asOwner().body(Map.of("role", "inbox-agent@Somewhere")).when().post(roles(user)).then(), 400,
                "'workspace'");
        assertProblem(asOwner().body(fixture("bindings/bind-unknown-field.json")).when().post(roles(user)).then(), 400,
                "'scope'");
        assertProblem(asOwner().body("").when().post(roles(user)).then(), 400, "JSON object");
    }

    @ParameterizedTest(name = "{0} is internal -> 400")
    @ValueSource(strings = { "visitor", "Chat Widget" })
    void refusesToBindAnInternalRole(String role) {
        User user = createUser();
        assertProblem(asOwner().body(Map.of("role", role)).when().post(roles(user)).then(), 400, "internal role");
        String group = createGroup(unique("internal"));
        assertProblem(asOwner().body(Map.of("role", role)).when().post("/admin/v1/groups/" + group + "/roles").then(),
                400, "internal role");
    }

    @Test
    void refusesToBindScimClientToAUserOrAGroup() {
        User user = createUser();
        assertProblem(asOwner().body(Map.of("role", "scim-client")).when().post(roles(user)).then(), 400,
                "only to access keys").body("scimType", equalTo("invalidValue"));
        String group = createGroup(unique("provisioners"));
        assertProblem(asOwner().body(Map.of("role", "SCIM Client")).when().post("/admin/v1/groups/" + group + "/roles")
                .then(), 400, "only to access keys");
        assertEquals(List.of("knowledge-base-user system"), bindings("users", user.id()));
    }

    @Test
    void refusesOrganizationOwnerInAWorkspace() {
        User user = createUser();
        String workspace = unique("Not for owners");
        createWorkspace(workspace);
        assertProblem(asOwner().body(Map.of("role", "organization-owner", "workspace", workspace)).when()
                .post(roles(user)).then(), 400, "organization scope only");
    }

    @Test
    void aCallerGrantsOnlyRolesWithinItsOwnPermissions() {
        User user = createUser();
        String accountAdmin = Tokens.withRoles("account-admin");
        assertProblem(as(accountAdmin).body(Map.of("role", "campaign-manager")).when().post(roles(user)).then(), 403,
                "campaigns:launch");
        as(accountAdmin).body(Map.of("role", "account-admin")).when().post(roles(user)).then().statusCode(201);
        assertEquals(List.of("account-admin local"), bindings("users", user.id()));
    }

    // --- Unbind -----------------------------------------------------------------------------------------------------

    @Test
    void removesOneBindingOfAUser() {
        User user = createUser();
        bind("users", user.id(), "inbox-agent", null);
        String second = bind("users", user.id(), "chatbots-view-only", null);
        asOwner().when().delete(roles(user) + "/" + second).then().statusCode(204);
        assertEquals(List.of("inbox-agent local"), bindings("users", user.id()));
    }

    @Test
    void refusesToRemoveAUsersLastRoleWith409() {
        User user = createUser();
        assertEquals(List.of("knowledge-base-user system"), bindings("users", user.id()));
        String only = bind("users", user.id(), "inbox-agent", null);
        assertEquals(List.of("inbox-agent local"), bindings("users", user.id()), "the fallback role went");

        assertProblem(asOwner().when().delete(roles(user) + "/" + only).then(), 409, user.userName())
                .body("detail", containsString("at least one role"));

        assertEquals(List.of("inbox-agent local"), bindings("users", user.id()));
    }

    @Test
    void refusesToRemoveTheFallbackRoleWhenItIsTheOnlyOneWith409() {
        User user = createUser();
        String fallback = asOwner().when().get(roles(user)).then().extract().jsonPath().getString("items[0].id");
        assertProblem(asOwner().when().delete(roles(user) + "/" + fallback).then(), 409, user.userName());
    }

    @Test
    void refusesToRemoveTheGroupBindingThatIsAMembersOnlyRoleWith409() {
        User user = createUser();
        String group = createGroup(unique("only source"), user.id());
        String binding = bind("groups", group, "inbox-agent", null);
        assertEquals(List.of(), bindings("users", user.id()));

        assertProblem(asOwner().when().delete("/admin/v1/groups/" + group + "/roles/" + binding).then(), 409,
                user.userName());
        assertEquals(List.of("inbox-agent local"), bindings("groups", group));
    }

    @Test
    void removesAGroupBindingWhenItsMembersKeepAnotherRole() {
        User user = createUser();
        bind("users", user.id(), "inbox-agent", null);
        String group = createGroup(unique("extra"), user.id());
        String binding = bind("groups", group, "chatbots-view-only", null);
        asOwner().when().delete("/admin/v1/groups/" + group + "/roles/" + binding).then().statusCode(204);
        assertEquals(List.of(), bindings("groups", group));
    }

    /** In an organization of its own, so that no other test's owners count: its only human owners are these two. */
    @Test
    void refusesToRemoveTheLastActiveOwnerWith409() {
        String owner = Tokens.newOrganization(unique("last-owner")).token();
        String scim = Tokens.withRolesIn(owner, "scim-client");
        String first = newUserIn(scim);
        String second = newUserIn(scim);
        bindIn(owner, first, "inbox-agent");
        bindIn(owner, second, "inbox-agent");
        String firstOwner = bindIn(owner, first, "organization-owner");
        String secondOwner = bindIn(owner, second, "organization-owner");

        as(owner).when().delete("/admin/v1/users/" + second + "/roles/" + secondOwner).then().statusCode(204);

        assertProblem(as(owner).when().delete("/admin/v1/users/" + first + "/roles/" + firstOwner).then(), 409,
                "Organization Owner");
        List<String> kept = as(owner).when().get("/admin/v1/users/" + first + "/roles").then().statusCode(200)
                .extract().jsonPath().getList("items.role.value");
        assertEquals(List.of("inbox-agent", "organization-owner"), kept.stream().sorted().toList());
    }

    private static String newUserIn(String scimToken) {
        return given().auth().oauth2(scimToken).contentType("application/scim+json").body(Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", unique("owner") + "@example.com"))
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
    }

    private static String bindIn(String ownerToken, String userId, String role) {
        return as(ownerToken).body(Map.of("role", role)).when().post("/admin/v1/users/" + userId + "/roles").then()
                .statusCode(201).extract().path("id");
    }

    @Test
    void returns404ForABindingOfAnotherPrincipal() {
        User user = createUser();
        User other = createUser();
        String othersBinding = asOwner().when().get(roles(other)).then().extract().jsonPath().getString("items[0].id");
        assertProblem(asOwner().when().delete(roles(user) + "/" + othersBinding).then(), 404, othersBinding);
        assertProblem(asOwner().when().delete(roles(user) + "/not-a-binding").then(), 404, "not-a-binding");
    }

    // --- Who may call -----------------------------------------------------------------------------------------------

    @Test
    void aCallerWithoutRolesReadMayNotListBindingsWith403() {
        User user = createUser();
        String group = createGroup(unique("secret"));
        String token = Tokens.withRoles("analyze-manager");
        assertProblem(as(token).when().get(roles(user)).then(), 403, "roles:read");
        assertProblem(as(token).when().get("/admin/v1/groups/" + group + "/roles").then(), 403, "roles:read");
    }

    @Test
    void aCallerWithoutRolesAssignMayNotBindOrUnbindWith403() {
        User user = createUser();
        String binding = bind("users", user.id(), "inbox-agent", null);
        String reader = Tokens.scimClient();
        as(reader).when().get(roles(user)).then().statusCode(200);
        assertProblem(as(reader).body(Map.of("role", "chatbots-view-only")).when().post(roles(user)).then(), 403,
                "roles:assign");
        assertProblem(as(reader).when().delete(roles(user) + "/" + binding).then(), 403, "roles:assign");
        String group = createGroup(unique("guarded"));
        assertProblem(as(reader).body(Map.of("role", "chatbots-view-only")).when()
                .post("/admin/v1/groups/" + group + "/roles").then(), 403, "roles:assign");
        assertEquals(List.of("inbox-agent local"), bindings("users", user.id()));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static String roles(User user) {
        return "/admin/v1/users/" + user.id() + "/roles";
    }

    private static io.restassured.response.Response scimUser(String id) {
        return given().auth().oauth2(scimToken()).accept("application/scim+json").when().get("/scim/v2/Users/" + id)
                .then().statusCode(200).extract().response();
    }
}
