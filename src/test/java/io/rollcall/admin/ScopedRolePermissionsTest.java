package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A custom role's ticked permissions scoped to workspaces through the admin API ({@code {"key", "workspaces"}}): the
 * refusals first (unknown workspace, organization-level permission, malformed entries: 400 naming it, nothing changed),
 * then rule 6 at the scope granted (a caller holding a permission in one workspace may grant it there, not elsewhere),
 * then the round trip (read back as objects with workspace ids, effective only there, SCIM showing the plain key and
 * keeping the scope through a PATCH that does not touch permissions).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ScopedRolePermissionsTest {

    private static final String ROLES = "/admin/v1/roles";
    private static final String ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private static int rolesNamed(String name) {
        return asOwner().queryParam("search", name).when().get(ROLES).then().statusCode(200).extract()
                .jsonPath().getList("items.findAll { it.name == '" + name + "' }").size();
    }

    private static JsonPath role(String id) {
        return asOwner().when().get(ROLES + "/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> scoped(String key, String... workspaces) {
        return Map.of("key", key, "workspaces", List.of(workspaces));
    }

    @Test
    void anUnknownWorkspaceIs400NamingItAndCreatesNothing() {
        String name = unique("Launch nowhere");
        assertProblem(asOwner().body(Map.of("name", name, "permissions", List.of("campaigns:read",
                scoped("campaigns:launch", "No such workspace " + name)))).when().post(ROLES).then(), 400,
                "No such workspace " + name);
        assertEquals(0, rolesNamed(name));
    }

    @Test
    void scopingAnOrganizationLevelPermissionIs400() {
        String workspace = AdminFixtures.createWorkspace(unique("Org level"));
        String name = unique("Scoped owner things");
        assertProblem(asOwner().body(Map.of("name", name, "permissions", List.of(scoped("users:read", workspace))))
                .when().post(ROLES).then(), 400, "users:read");
        assertEquals(0, rolesNamed(name));
    }

    @Test
    void malformedScopedEntriesAre400() {
        String workspace = AdminFixtures.createWorkspace(unique("Malformed"));
        String name = unique("Malformed scopes");
        assertProblem(asOwner().body(Map.of("name", name, "permissions", List.of(scoped("campaigns:launch"))))
                .when().post(ROLES).then(), 400, "names no workspace");
        assertProblem(asOwner().body(Map.of("name", name, "permissions", List.of(Map.of("key", "campaigns:launch",
                "workspace", List.of(workspace))))).when().post(ROLES).then(), 400, "A permission is a key");
        assertProblem(asOwner().body(Map.of("name", name, "permissions", List.of(Map.of("key", "campaigns:launch",
                "workspaces", List.of(42))))).when().post(ROLES).then(), 400, "workspace ids or names");
        assertProblem(asOwner().body(Map.of("name", name, "permissions", List.of(scoped("campaigns:fly", workspace))))
                .when().post(ROLES).then(), 400, "campaigns:fly");
        assertEquals(0, rolesNamed(name));
    }

    @Test
    void aReplaceWithAnUnknownWorkspaceIs400AndChangesNothing() {
        String workspace = AdminFixtures.createWorkspace(unique("Kept"));
        String name = unique("Kept scopes");
        String id = asOwner().body(Map.of("name", name, "permissions", List.of(scoped("campaigns:launch", workspace))))
                .when().post(ROLES).then().statusCode(201).extract().path("id");
        assertProblem(asOwner().body(Map.of("name", name, "permissions", List.of(scoped("campaigns:launch",
                "Gone " + name)))).when().put(ROLES + "/" + id).then(), 400, "Gone " + name);
        assertEquals(List.of(Map.of("key", "campaigns:launch", "workspaces", List.of(workspace))),
                role(id).getList("permissions"));
    }

    @Test
    void aCallerHoldingAPermissionInOneWorkspaceMayGrantItThereOnly() {
        String there = AdminFixtures.createWorkspace(unique("Held here"));
        String elsewhere = AdminFixtures.createWorkspace(unique("Not held"));
        String managerRole = asOwner().body(Map.of("name", unique("Workspace manager"), "permissions", List.of(
                "roles:read", "roles:manage", scoped("campaigns:launch", there)))).when().post(ROLES).then()
                .statusCode(201).extract().path("id");
        String token = Tokens.withRoles(managerRole);

        assertProblem(as(token).body(Map.of("name", unique("Launch elsewhere"), "permissions",
                List.of(scoped("campaigns:launch", elsewhere)))).when().post(ROLES).then(), 403, "campaigns:launch");
        assertProblem(as(token).body(Map.of("name", unique("Launch everywhere"), "permissions",
                List.of("campaigns:launch"))).when().post(ROLES).then(), 403, "campaigns:launch");
        String name = unique("Launch there");
        as(token).body(Map.of("name", name, "permissions", List.of(scoped("campaigns:launch", there))))
                .when().post(ROLES).then().statusCode(201);
        assertEquals(1, rolesNamed(name));
    }

    @Test
    void scopedPermissionsAreStoredByWorkspaceIdReadBackAndEffectiveOnlyThere() {
        String sales = unique("Sales");
        String salesId = AdminFixtures.createWorkspace(sales);
        String supportId = AdminFixtures.createWorkspace(unique("Support"));
        String name = unique("Regional launcher");
        JsonPath created = asOwner().body(Map.of("name", name, "permissions", List.of("campaigns:read",
                scoped("campaigns:launch", sales, supportId)))).when().post(ROLES).then().statusCode(201)
                .extract().jsonPath();
        String id = created.getString("id");
        JsonPath read = role(id);
        assertEquals("campaigns:read", read.getString("permissions.find { it instanceof String }"));
        List<String> workspaces = read.getList("permissions.find { it instanceof Map }.workspaces");
        assertEquals(2, workspaces.size());
        assertTrue(workspaces.containsAll(List.of(salesId, supportId)), workspaces.toString());
        assertEquals(read.getList("permissions"), created.getList("permissions"));
        JsonPath listed = asOwner().queryParam("search", name).when().get(ROLES).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(read.getList("permissions"), listed.getList("items[0].permissions"));

        AdminFixtures.User user = AdminFixtures.createUser();
        AdminFixtures.bind("users", user.id(), id, null);
        for (var check : List.of(Map.entry(salesId, "allow"), Map.entry(AdminFixtures.createWorkspace(unique("Other")),
                "deny"))) {
            assertEquals(check.getValue(), asOwner().queryParam("principal", "user:" + user.id())
                    .queryParam("permission", "campaigns:launch").queryParam("workspace", check.getKey())
                    .when().get("/admin/v1/authz/check").then().statusCode(200).extract().path("decision"));
        }

        // SCIM shows the plain keys; a PATCH that leaves permissions alone keeps the scope
        String scimToken = Tokens.withRoles("scim-client", "organization-owner");
        List<String> scimPermissions = given().auth().oauth2(scimToken).queryParam("attributes", ACCESS + ":permissions").when().get("/scim/v2/Roles/" + id).then()
                .statusCode(200).extract().jsonPath().getList("'" + ACCESS + "'.permissions");
        assertEquals(List.of("campaigns:launch", "campaigns:read"), scimPermissions);
        given().auth().oauth2(scimToken).contentType("application/scim+json").body(Map.of("schemas", List.of(PATCH_OP),
                "Operations", List.of(Map.of("op", "replace", "path", "description", "value", "Renamed over SCIM"))))
                .when().patch("/scim/v2/Roles/" + id).then().statusCode(200);
        assertEquals(read.getList("permissions"), role(id).getList("permissions"));

        // a plain key replaces the scope: everywhere again
        asOwner().body(Map.of("name", name, "permissions", List.of("campaigns:read", "campaigns:launch")))
                .when().put(ROLES + "/" + id).then().statusCode(200);
        assertEquals(List.of("campaigns:launch", "campaigns:read"), role(id).getList("permissions"));
    }
}
