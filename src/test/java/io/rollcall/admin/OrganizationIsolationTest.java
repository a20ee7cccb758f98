package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * Nothing of one organization is visible or writable from another: organization B's keys walk every SCIM and admin
 * endpoint, every method, against organization A's objects (ids in paths, filters, {@code /.search}, member and role
 * references, policies, workspaces, keys, settings, authorization checks, event subscriptions and their dead
 * letters). Each answer is what an id that exists nowhere gets — 404 for a path, 400 {@code invalidValue} for a
 * reference, nothing found for a search — and A's objects are unchanged afterwards.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OrganizationIsolationTest {

    private static final String SCIM_JSON = "application/scim+json";
    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String ROLE = "urn:okta:scim:schemas:core:1.0:Role";
    private static final String ROLE_ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /** Organization A's objects, made by its owner and IdP. */
    private record A(String user, String userName, String group, String groupName, String role, String managedRole,
            String policy, String workspace, String key, String binding, String subscription) {
    }

    private record Probe(String what, String token, String method, String path, Object body, int status) {
    }

    private static A organizationA() {
        AdminFixtures.User user = AdminFixtures.createUser();
        String groupName = unique("A group");
        String group = AdminFixtures.createGroup(groupName, user.id());
        String workspace = AdminFixtures.createWorkspace(unique("A workspace"));
        String policy = asOwner().body(Map.of("name", unique("A policy"), "statements", List.of(Map.of("effect",
                "allow", "permissions", List.of("reports:read"), "resources", List.of(workspace))))).when()
                .post("/admin/v1/policies").then().statusCode(201).extract().path("id");
        String role = asOwner().body(Map.of("name", unique("A role"), "permissions", List.of("reports:read"),
                "policies", List.of(policy))).when().post("/admin/v1/roles").then().statusCode(201).extract().path("id");
        String managedRole = asOwner().queryParam("search", "inbox agent").when().get("/admin/v1/roles").then()
                .extract().path("items.find { it.value == 'inbox-agent' }.id");
        String binding = AdminFixtures.bind("users", user.id(), role, null);
        String key = Tokens.createKey(Map.of("name", unique("A key"), "roles", List.of("inbox-agent"))).id();
        String subscription = asOwner().body(Map.of("url", "http://127.0.0.1:9/" + unique("a-hooks"), "eventTypes",
                List.of("user.deactivated"))).when().post("/admin/v1/event-subscriptions").then().statusCode(201)
                .extract().path("id");
        return new A(user.id(), user.userName(), group, groupName, role, managedRole, policy, workspace, key, binding,
                subscription);
    }

    /** A's objects as A sees them: any change by B would show here. */
    private static String snapshot(A a) {
        String scim = AdminFixtures.scimToken();
        List<String> parts = new ArrayList<>();
        parts.add(given().auth().oauth2(scim).when().get("/scim/v2/Users/" + a.user()).then().statusCode(200)
                .extract().asString());
        parts.add(given().auth().oauth2(scim).when().get("/scim/v2/Groups/" + a.group()).then().statusCode(200)
                .extract().asString());
        for (String path : List.of("/admin/v1/roles/" + a.role(), "/admin/v1/roles/" + a.managedRole(),
                "/admin/v1/policies/" + a.policy(), "/admin/v1/workspaces/" + a.workspace(),
                "/admin/v1/access-keys/" + a.key(), "/admin/v1/users/" + a.user() + "/roles",
                "/admin/v1/groups/" + a.group() + "/roles", "/admin/v1/settings",
                "/admin/v1/event-subscriptions/" + a.subscription(),
                "/admin/v1/event-subscriptions/" + a.subscription() + "/dead-letters")) {
            parts.add(asOwner().when().get(path).then().statusCode(200).extract().asString()
                    .replaceAll("\"lastUsedAt\":\"[^\"]*\"", ""));
        }
        return String.join("\n", parts);
    }

    private static Map<String, Object> patch(Map<String, Object> operation) {
        return Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(operation));
    }

    private static List<Probe> probes(A a, String owner, String scim, String scimManager, String userB, String groupB,
            String managedRoleB) {
        Map<String, Object> userBody = Map.of("schemas", List.of(USER), "userName", a.userName());
        Map<String, Object> groupBody = Map.of("schemas", List.of(GROUP), "displayName", a.groupName());
        Map<String, Object> roleBody = Map.of("schemas", List.of(ROLE, ROLE_ACCESS), "displayName", "Mine");
        Map<String, Object> replaceDescription = patch(Map.of("op", "replace", "path", "displayName", "value", "x"));
        List<Probe> probes = new ArrayList<>(List.of(
                // SCIM: A's ids in paths
                new Probe("GET A's user", scim, "GET", "/scim/v2/Users/" + a.user(), null, 404),
                new Probe("PUT A's user", scim, "PUT", "/scim/v2/Users/" + a.user(), userBody, 404),
                new Probe("PATCH A's user", scim, "PATCH", "/scim/v2/Users/" + a.user(), replaceDescription, 404),
                new Probe("DELETE A's user", scim, "DELETE", "/scim/v2/Users/" + a.user(), null, 404),
                new Probe("GET A's group", scim, "GET", "/scim/v2/Groups/" + a.group(), null, 404),
                new Probe("PUT A's group", scim, "PUT", "/scim/v2/Groups/" + a.group(), groupBody, 404),
                new Probe("PATCH A's group", scim, "PATCH", "/scim/v2/Groups/" + a.group(), patch(Map.of("op",
                        "add", "path", "members", "value", List.of(Map.of("value", userB)))), 404),
                new Probe("DELETE A's group", scim, "DELETE", "/scim/v2/Groups/" + a.group(), null, 404),
                new Probe("GET A's role", scim, "GET", "/scim/v2/Roles/" + a.role(), null, 404),
                new Probe("GET A's managed role", scim, "GET", "/scim/v2/Roles/" + a.managedRole(), null, 404),
                new Probe("PUT A's role", scimManager, "PUT", "/scim/v2/Roles/" + a.role(), roleBody, 404),
                new Probe("PATCH A's managed role's members", scim, "PATCH", "/scim/v2/Roles/" + a.managedRole(),
                        patch(Map.of("op", "add", "path", "members", "value", List.of(Map.of("value", userB)))), 404),
                new Probe("DELETE A's role", scimManager, "DELETE", "/scim/v2/Roles/" + a.role(), null, 404),
                // SCIM: A's objects as references from B's writes
                new Probe("B's group with A's user as member", scim, "POST", "/scim/v2/Groups", Map.of("schemas",
                        List.of(GROUP), "displayName", unique("B"), "members", List.of(Map.of("value", a.user()))), 400),
                new Probe("B's group adding A's user", scim, "PATCH", "/scim/v2/Groups/" + groupB, patch(Map.of("op",
                        "add", "path", "members", "value", List.of(Map.of("value", a.user())))), 400),
                new Probe("B's group adding A's group", scim, "PATCH", "/scim/v2/Groups/" + groupB, patch(Map.of("op",
                        "add", "path", "members", "value", List.of(Map.of("value", a.group())))), 400),
                new Probe("B's user with A's custom role", scim, "POST", "/scim/v2/Users", Map.of("schemas",
                        List.of(USER), "userName", unique("b") + "@b.example", "roles", List.of(a.role())), 400),
                new Probe("B's user with A's managed role id", scim, "POST", "/scim/v2/Users", Map.of("schemas",
                        List.of(USER), "userName", unique("b") + "@b.example", "roles", List.of(a.managedRole())), 400),
                new Probe("B's role adding A's user", scim, "PATCH", "/scim/v2/Roles/" + managedRoleB, patch(Map.of(
                        "op", "add", "path", "members", "value", List.of(Map.of("value", a.user())))), 400),
                new Probe("B's role copied from A's", scimManager, "POST", "/scim/v2/Roles", Map.of("schemas",
                        List.of(ROLE, ROLE_ACCESS), "displayName", unique("copy"), ROLE_ACCESS,
                        Map.of("copyFrom", a.role())), 400),
                // admin API: A's ids in paths
                new Probe("GET A's key", owner, "GET", "/admin/v1/access-keys/" + a.key(), null, 404),
                new Probe("DELETE A's key", owner, "DELETE", "/admin/v1/access-keys/" + a.key(), null, 404),
                new Probe("GET A's role", owner, "GET", "/admin/v1/roles/" + a.role(), null, 404),
                new Probe("PUT A's role", owner, "PUT", "/admin/v1/roles/" + a.role(), Map.of("name", "Mine"), 404),
                new Probe("duplicate A's role", owner, "POST", "/admin/v1/roles/" + a.role() + "/duplicate",
                        Map.of("name", unique("copy")), 404),
                new Probe("DELETE A's role", owner, "DELETE", "/admin/v1/roles/" + a.role(), null, 404),
                new Probe("GET A's policy", owner, "GET", "/admin/v1/policies/" + a.policy(), null, 404),
                new Probe("PUT A's policy", owner, "PUT", "/admin/v1/policies/" + a.policy(), Map.of("name", "Mine",
                        "statements", List.of(Map.of("effect", "allow", "permissions", List.of("reports:read")))), 404),
                new Probe("DELETE A's policy", owner, "DELETE", "/admin/v1/policies/" + a.policy(), null, 404),
                new Probe("GET A's workspace", owner, "GET", "/admin/v1/workspaces/" + a.workspace(), null, 404),
                new Probe("PATCH A's workspace", owner, "PATCH", "/admin/v1/workspaces/" + a.workspace(),
                        Map.of("name", "Mine"), 404),
                new Probe("DELETE A's workspace", owner, "DELETE", "/admin/v1/workspaces/" + a.workspace(), null, 404),
                new Probe("GET A's user", owner, "GET", "/admin/v1/users/" + a.user(), null, 404),
                new Probe("GET A's user's roles", owner, "GET", "/admin/v1/users/" + a.user() + "/roles", null, 404),
                new Probe("bind a role to A's user", owner, "POST", "/admin/v1/users/" + a.user() + "/roles",
                        Map.of("role", "inbox-agent"), 404),
                new Probe("unbind A's user's binding", owner, "DELETE", "/admin/v1/users/" + a.user() + "/roles/"
                        + a.binding(), null, 404),
                new Probe("GET A's group's roles", owner, "GET", "/admin/v1/groups/" + a.group() + "/roles", null, 404),
                new Probe("bind a role to A's group", owner, "POST", "/admin/v1/groups/" + a.group() + "/roles",
                        Map.of("role", "inbox-agent"), 404),
                new Probe("authz check on A's user", owner, "GET", "/admin/v1/authz/check?principal=user:" + a.user()
                        + "&permission=reports:read", null, 404),
                new Probe("authz check on A's key", owner, "GET", "/admin/v1/authz/check?principal=access_key:"
                        + a.key() + "&permission=reports:read", null, 404),
                new Probe("GET A's event subscription", owner, "GET", "/admin/v1/event-subscriptions/"
                        + a.subscription(), null, 404),
                new Probe("pause A's event subscription", owner, "PATCH", "/admin/v1/event-subscriptions/"
                        + a.subscription(), Map.of("paused", true), 404),
                new Probe("point A's event subscription elsewhere", owner, "PATCH", "/admin/v1/event-subscriptions/"
                        + a.subscription(), Map.of("url", "http://127.0.0.1:9/b-hooks"), 404),
                new Probe("DELETE A's event subscription", owner, "DELETE", "/admin/v1/event-subscriptions/"
                        + a.subscription(), null, 404),
                new Probe("GET A's dead letters", owner, "GET", "/admin/v1/event-subscriptions/" + a.subscription()
                        + "/dead-letters", null, 404),
                new Probe("re-drive A's dead letters", owner, "POST", "/admin/v1/event-subscriptions/"
                        + a.subscription() + "/dead-letters/redrive", null, 404),
                // admin API: A's objects as references from B's writes
                new Probe("B's role picking A's policy", owner, "POST", "/admin/v1/roles", Map.of("name", unique("b"),
                        "policies", List.of(a.policy())), 400),
                new Probe("B's policy over A's workspace", owner, "POST", "/admin/v1/policies", Map.of("name",
                        unique("b"), "statements", List.of(Map.of("effect", "allow", "permissions",
                                List.of("reports:read"), "resources", List.of(a.workspace())))), 400),
                new Probe("B's key with A's role", owner, "POST", "/admin/v1/access-keys", Map.of("name", unique("b"),
                        "roles", List.of(a.role())), 400),
                new Probe("B's user bound to A's role", owner, "POST", "/admin/v1/users/" + userB + "/roles",
                        Map.of("role", a.role()), 400),
                new Probe("B's user bound in A's workspace", owner, "POST", "/admin/v1/users/" + userB + "/roles",
                        Map.of("role", "inbox-agent", "workspace", a.workspace()), 400),
                new Probe("B's fallback role is A's role", owner, "PUT", "/admin/v1/settings",
                        Map.of("fallbackRole", a.role()), 400),
                new Probe("B's IdP may assign A's role", owner, "PUT", "/admin/v1/settings", Map.of("fallbackRole",
                        "knowledge-base-user", "scimAssignableRoles", List.of(a.role())), 400)));
        return probes;
    }

    @Test
    void organizationBSeesAndChangesNothingOfOrganizationA() {
        A a = organizationA();
        String before = snapshot(a);

        String owner = Tokens.newOrganization(unique("B")).token();
        String scim = Tokens.withRolesIn(owner, "scim-client");
        String scimManager = Tokens.withRolesIn(owner, "scim-client", "organization-owner");
        String userB = given().auth().oauth2(scim).contentType(SCIM_JSON).body(Map.of("schemas", List.of(USER),
                "userName", unique("b") + "@b.example")).when().post("/scim/v2/Users").then().statusCode(201)
                .extract().path("id");
        String groupB = given().auth().oauth2(scim).contentType(SCIM_JSON).body(Map.of("schemas", List.of(GROUP),
                "displayName", unique("B group"))).when().post("/scim/v2/Groups").then().statusCode(201)
                .extract().path("id");
        String managedRoleB = as(owner).queryParam("search", "inbox agent").when().get("/admin/v1/roles").then()
                .extract().path("items.find { it.value == 'inbox-agent' }.id");

        List<String> wrong = new ArrayList<>();
        for (Probe probe : probes(a, owner, scim, scimManager, userB, groupB, managedRoleB)) {
            var request = given().auth().oauth2(probe.token())
                    .contentType(probe.path().startsWith("/scim/") ? SCIM_JSON : "application/json");
            if (probe.body() != null) {
                request.body(probe.body());
            }
            Response response = request.when().request(probe.method(), probe.path());
            if (response.statusCode() != probe.status()) {
                wrong.add(probe.what() + ": " + probe.method() + " " + probe.path() + " answered "
                        + response.statusCode() + " (expected " + probe.status() + "): " + response.asString());
            }
        }
        assertEquals(List.of(), wrong);
        assertEquals(before, snapshot(a), "organization A changed");
    }

    @Test
    void searchesFiltersAndListsOfBNeverShowAsObjects() {
        A a = organizationA();
        String owner = Tokens.newOrganization(unique("B")).token();
        String scim = Tokens.withRolesIn(owner, "scim-client");
        for (String filter : List.of("userName eq \"" + a.userName() + "\"", "id eq \"" + a.user() + "\"",
                "groups.value eq \"" + a.group() + "\"")) {
            given().auth().oauth2(scim).queryParam("filter", filter).when().get("/scim/v2/Users").then()
                    .statusCode(200).body("totalResults", org.hamcrest.Matchers.equalTo(0));
        }
        given().auth().oauth2(scim).queryParam("filter", "displayName eq \"" + a.groupName() + "\"").when()
                .get("/scim/v2/Groups").then().statusCode(200).body("totalResults", org.hamcrest.Matchers.equalTo(0));
        given().auth().oauth2(scim).queryParam("filter", "members.value eq \"" + a.user() + "\"").when()
                .get("/scim/v2/Roles").then().statusCode(200).body("totalResults", org.hamcrest.Matchers.equalTo(0));
        given().auth().oauth2(scim).contentType(SCIM_JSON).body(Map.of("schemas",
                List.of("urn:ietf:params:scim:api:messages:2.0:SearchRequest"), "filter", "userName eq \""
                        + a.userName() + "\" or displayName eq \"" + a.groupName() + "\"")).when()
                .post("/scim/v2/.search").then().statusCode(200).body("totalResults", org.hamcrest.Matchers.equalTo(0));
        List<String> users = given().auth().oauth2(scim).queryParam("count", 1000).when().get("/scim/v2/Users").then()
                .statusCode(200).extract().jsonPath().getList("Resources.id");
        assertTrue(users.isEmpty(), users.toString());
        List<String> roles = as(owner).when().get("/admin/v1/roles").then().statusCode(200).extract().jsonPath()
                .getList("items.id");
        assertTrue(!roles.contains(a.role()) && !roles.contains(a.managedRole()), roles.toString());
        List<String> policies = as(owner).when().get("/admin/v1/policies").then().statusCode(200).extract().jsonPath()
                .getList("items.id");
        assertTrue(!policies.contains(a.policy()), "B lists A's policy");
        List<String> adminUsers = as(owner).queryParam("search", a.userName()).when().get("/admin/v1/users").then()
                .statusCode(200).extract().jsonPath().getList("items.id");
        assertTrue(adminUsers.isEmpty(), adminUsers.toString());
        List<String> workspaces = as(owner).when().get("/admin/v1/workspaces").then().statusCode(200).extract()
                .jsonPath().getList("items.id");
        assertTrue(workspaces.isEmpty(), workspaces.toString());
        List<String> keys = as(owner).when().get("/admin/v1/access-keys").then().statusCode(200).extract().jsonPath()
                .getList("items.id");
        assertTrue(!keys.contains(a.key()), keys.toString());
        List<String> subscriptions = as(owner).when().get("/admin/v1/event-subscriptions").then().statusCode(200)
                .extract().jsonPath().getList("items.id");
        assertTrue(subscriptions.isEmpty(), subscriptions.toString());
    }
}
