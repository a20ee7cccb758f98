package io.rollcall.admin;

import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * Access model rule 6: writing a role's definition is a grant. Creating, replacing, patching and duplicating a role, and
 * changing or deleting a policy that roles use, each need the caller to hold what the resulting roles grant, at the
 * scope they grant it (403 naming what is missing, nothing changed); Organization Owner passes. Rule 5 rides along:
 * no path yields a custom role granting {@code scim:provision} (400 naming it).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RoleDefinitionEscalationTest {

    private static final String ROLES = "/admin/v1/roles";
    private static final String POLICIES = "/admin/v1/policies";
    private static final String ROLE_SCHEMA = "urn:okta:scim:schemas:core:1.0:Role";
    private static final String ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    private static final String SCIM_JSON = AdminFixtures.SCIM_JSON;

    /** A custom role made by the owner; returns its id. */
    private static String customRole(String name, List<String> permissions, List<String> policies) {
        return asOwner().body(Map.of("name", name, "permissions", permissions, "policies", policies))
                .when().post(ROLES).then().statusCode(201).extract().path("id");
    }

    /** A key holding only a custom role with these permissions (and, when asked, SCIM Client); returns its token. */
    private static Manager manager(boolean scim, String... permissions) {
        String name = unique("Role manager");
        String roleId = customRole(name, List.of(permissions), List.of());
        String token = scim ? Tokens.withRoles("scim-client", roleId) : Tokens.withRoles(roleId);
        return new Manager(roleId, name, token);
    }

    private record Manager(String roleId, String roleName, String token) {
    }

    private static JsonPath role(String id) {
        return asOwner().when().get(ROLES + "/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static int rolesNamed(String name) {
        return asOwner().queryParam("search", name).when().get(ROLES).then().statusCode(200).extract()
                .jsonPath().getList("items.findAll { it.name == '" + name + "' }").size();
    }

    private static ValidatableResponse scim(String token, String method, String path, Object body) {
        var request = io.restassured.RestAssured.given().auth().oauth2(token).contentType(SCIM_JSON).body(body);
        return request.when().request(method, "/scim/v2" + path).then();
    }

    // --- create ---------------------------------------------------------------------------------------------------

    @Test
    void creatingARoleWithPermissionsTheCallerLacksIs403NamingThemAndCreatesNothing() {
        Manager manager = manager(false, "roles:read", "roles:manage");
        String name = unique("Escalated");
        assertProblem(as(manager.token()).body(Map.of("name", name, "permissions",
                List.of("roles:read", "users:manage", "access-keys:manage"))).when().post(ROLES).then(), 403,
                "users:manage, access-keys:manage");
        assertEquals(0, rolesNamed(name));
    }

    @Test
    void creatingARoleFromPoliciesTheCallerDoesNotHoldIs403() {
        Manager manager = manager(false, "roles:read", "roles:manage");
        String name = unique("Escalated");
        assertProblem(as(manager.token()).body(Map.of("name", name, "policies",
                List.of("AccessKeysFullAccess"))).when().post(ROLES).then(), 403, "access-keys:manage");
        assertEquals(0, rolesNamed(name));
    }

    @Test
    void aCallerCreatesRolesWithinWhatItHolds() {
        Manager manager = manager(false, "roles:read", "roles:manage", "reports:read", "reports:manage");
        as(manager.token()).body(Map.of("name", unique("Reports"), "permissions", List.of("reports:read"),
                "policies", List.of("ReportsManage"))).when().post(ROLES).then().statusCode(201);
    }

    // --- replace ----------------------------------------------------------------------------------------------------

    @Test
    void aKeyCannotRewriteItsOwnRoleToAttachOrganizationOwnersPolicies() {
        Manager manager = manager(false, "roles:read", "roles:manage");
        assertProblem(as(manager.token()).body(Map.of("name", manager.roleName(), "permissions",
                List.of("roles:read", "roles:manage"), "policies", List.of("AccessKeysFullAccess", "UsersFullAccess")))
                .when().put(ROLES + "/" + manager.roleId()).then(), 403, "access-keys:");
        JsonPath after = role(manager.roleId());
        assertEquals(List.of("roles:manage", "roles:read"), after.getList("permissions"));
        assertEquals(List.of(), after.getList("policies"));
    }

    @Test
    void replacingAnotherRoleWithPermissionsTheCallerLacksIs403AndChangesNothing() {
        Manager manager = manager(false, "roles:read", "roles:manage", "reports:read");
        String target = customRole(unique("Target"), List.of("reports:read"), List.of());
        long version = role(target).getLong("version");
        assertProblem(as(manager.token()).body(Map.of("name", "Renamed", "permissions",
                List.of("reports:read", "billing:manage"))).when().put(ROLES + "/" + target).then(), 403,
                "billing:manage");
        JsonPath after = role(target);
        assertEquals(List.of("reports:read"), after.getList("permissions"));
        assertEquals(version, after.getLong("version"));
        // within what it holds, the same caller may
        as(manager.token()).body(Map.of("name", unique("Renamed"), "permissions", List.of("reports:read")))
                .when().put(ROLES + "/" + target).then().statusCode(200);
    }

    // --- duplicate --------------------------------------------------------------------------------------------------

    @Test
    void duplicatingOrganizationOwnerWithoutHoldingItIs403() {
        Manager manager = manager(false, "roles:read", "roles:manage", "access-keys:manage");
        String owner = role(ownerRoleId()).getString("id");
        String name = unique("Owner copy");
        assertProblem(as(manager.token()).body(Map.of("name", name)).when().post(ROLES + "/" + owner + "/duplicate")
                .then(), 403, "users:manage");
        assertEquals(0, rolesNamed(name));
    }

    @Test
    void aCallerDuplicatesRolesWithinWhatItHolds() {
        Manager manager = manager(false, "roles:read", "roles:manage", "billing:read", "billing:manage",
                "reports:read");
        String finance = asOwner().queryParam("search", "finance manager").when().get(ROLES).then().statusCode(200)
                .extract().path("items.find { it.value == 'finance-manager' }.id");
        as(manager.token()).body(Map.of("name", unique("Finance copy"))).when()
                .post(ROLES + "/" + finance + "/duplicate").then().statusCode(201);
    }

    @Test
    void duplicatingScimClientIs400NamingScimProvisionEvenForTheOwner() {
        String scimClient = asOwner().queryParam("search", "SCIM Client").when().get(ROLES).then().statusCode(200)
                .extract().path("items.find { it.value == 'scim-client' }.id");
        String name = unique("IdP copy");
        assertProblem(asOwner().body(Map.of("name", name)).when().post(ROLES + "/" + scimClient + "/duplicate")
                .then(), 400, "scim:provision");
        assertEquals(0, rolesNamed(name));
    }

    @Test
    void pickingAManagedPolicyThatAllowsScimProvisionIs400() {
        for (String policy : List.of("ScimProvision", "ScimFullAccess")) {
            String name = unique("IdP by policy");
            assertProblem(asOwner().body(Map.of("name", name, "policies", List.of(policy))).when().post(ROLES).then(),
                    400, "scim:provision");
            assertEquals(0, rolesNamed(name));
        }
    }

    // --- scope ------------------------------------------------------------------------------------------------------

    @Test
    void aPermissionHeldInOneWorkspaceIsGrantableThereButNotEverywhere() {
        String workspace = AdminFixtures.createWorkspace(unique("Scoped"));
        String launchThere = asOwner().body(Map.of("name", unique("Launch there"), "statements", List.of(Map.of(
                "effect", "allow", "permissions", List.of("campaigns:launch"), "resources", List.of(workspace)))))
                .when().post(POLICIES).then().statusCode(201).extract().path("id");
        String managerRole = customRole(unique("Workspace role manager"), List.of("roles:read", "roles:manage"),
                List.of(launchThere));
        String token = Tokens.withRoles(managerRole);
        as(token).body(Map.of("name", unique("Launch there"), "policies", List.of(launchThere)))
                .when().post(ROLES).then().statusCode(201);
        assertProblem(as(token).body(Map.of("name", unique("Launch everywhere"), "permissions",
                List.of("campaigns:launch"))).when().post(ROLES).then(), 403, "campaigns:launch");
    }

    // --- policies that roles use ------------------------------------------------------------------------------------

    /** A role of the owner's: reports:read allowed by a managed policy, denied by a custom one. */
    private record Masked(String roleId, String denyPolicyId) {
    }

    private static Masked maskedRole() {
        String deny = asOwner().body(Map.of("name", unique("No reports"), "statements", List.of(Map.of("effect",
                "deny", "permissions", List.of("reports:read"))))).when().post(POLICIES).then().statusCode(201)
                .extract().path("id");
        String roleId = customRole(unique("Masked"), List.of(), List.of("ReportsRead", deny));
        assertEquals(List.of(), role(roleId).getList("permissions"), "the deny masks the managed policy");
        return new Masked(roleId, deny);
    }

    @Test
    void changingAPolicySoThatARoleUsingItGrantsMoreIs403AndChangesNothing() {
        Masked masked = maskedRole();
        Manager manager = manager(false, "roles:read", "roles:manage");
        assertProblem(as(manager.token()).body(Map.of("name", unique("No campaigns"), "statements", List.of(Map.of(
                "effect", "deny", "permissions", List.of("campaigns:read"))))).when()
                .put(POLICIES + "/" + masked.denyPolicyId()).then(), 403, "reports:read");
        JsonPath policy = asOwner().when().get(POLICIES + "/" + masked.denyPolicyId()).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("reports:read"), policy.getList("statements[0].permissions"));
        assertEquals(List.of(), role(masked.roleId()).getList("permissions"));
    }

    @Test
    void deletingADenyPolicyThatMasksARoleIs403AndKeepsIt() {
        Masked masked = maskedRole();
        Manager manager = manager(false, "roles:read", "roles:manage");
        assertProblem(as(manager.token()).when().delete(POLICIES + "/" + masked.denyPolicyId()).then(), 403,
                "reports:read");
        asOwner().when().get(POLICIES + "/" + masked.denyPolicyId()).then().statusCode(200);
        assertEquals(List.of(), role(masked.roleId()).getList("permissions"));
    }

    @Test
    void aCallerHoldingWhatTheRolesWouldGrantMayChangeAndDeleteThePolicy() {
        Masked masked = maskedRole();
        Manager manager = manager(false, "roles:read", "roles:manage", "reports:read", "reports:manage");
        as(manager.token()).body(Map.of("name", unique("No report changes"), "statements", List.of(Map.of("effect",
                "deny", "permissions", List.of("reports:manage"))))).when().put(POLICIES + "/" + masked.denyPolicyId())
                .then().statusCode(200);
        assertEquals(List.of("reports:read"), role(masked.roleId()).getList("permissions"));
        as(manager.token()).when().delete(POLICIES + "/" + masked.denyPolicyId()).then().statusCode(204);
    }

    // --- deny statements: taking one away grants what it denied -------------------------------------------------

    /** A guard role: it only denies reports:read, holding back what its holders' other roles allow. */
    private record Guard(String roleId, String roleName, String denyPolicyId) {
    }

    private static Guard guard() {
        String deny = asOwner().body(Map.of("name", unique("Guard policy"), "statements", List.of(Map.of("effect",
                "deny", "permissions", List.of("reports:read"))))).when().post(POLICIES).then().statusCode(201)
                .extract().path("id");
        String name = unique("Guard");
        return new Guard(customRole(name, List.of(), List.of(deny)), name, deny);
    }

    @Test
    void rewritingAGuardRoleWithoutItsDenyIs403UnlessTheCallerHoldsWhatItDenied() {
        Guard guard = guard();
        Manager manager = manager(false, "roles:read", "roles:manage");
        assertProblem(as(manager.token()).body(Map.of("name", guard.roleName(), "permissions", List.of("roles:read")))
                .when().put(ROLES + "/" + guard.roleId()).then(), 403, "takes away deny statements over permissions "
                + "the caller does not hold: reports:read");
        assertEquals(List.of(guard.denyPolicyId()), role(guard.roleId()).getList("policies.value"));
        assertProblem(as(manager.token()).body(Map.of("name", unique("No campaigns"), "statements", List.of(Map.of(
                "effect", "deny", "permissions", List.of("campaigns:launch"))))).when()
                .put(POLICIES + "/" + guard.denyPolicyId()).then(), 403, "reports:read");
        assertProblem(as(manager.token()).when().delete(POLICIES + "/" + guard.denyPolicyId()).then(), 403,
                "reports:read");
        assertProblem(as(manager.token()).when().delete(ROLES + "/" + guard.roleId()).then(), 403, "reports:read");
        Manager holder = manager(false, "roles:read", "roles:manage", "reports:read");
        as(holder.token()).body(Map.of("name", guard.roleName(), "permissions", List.of("roles:read")))
                .when().put(ROLES + "/" + guard.roleId()).then().statusCode(200);
    }

    @Test
    void unbindingAGuardRoleFromAUserIs403UnlessTheCallerHoldsWhatItDenied() {
        Guard guard = guard();
        AdminFixtures.User user = AdminFixtures.createUser();
        AdminFixtures.bind("users", user.id(), "analyze-manager", null);
        String binding = AdminFixtures.bind("users", user.id(), guard.roleId(), null);
        Manager assigner = manager(false, "roles:read", "roles:assign", "reports:manage");
        assertProblem(as(assigner.token()).when().delete("/admin/v1/users/" + user.id() + "/roles/" + binding).then(),
                403, "Removing '" + role(guard.roleId()).getString("value") + "' takes away deny statements");
        assertTrue(AdminFixtures.bindings("users", user.id()).stream().anyMatch(b -> b.startsWith(
                role(guard.roleId()).getString("value"))), "the guard stays");
        asOwner().when().delete("/admin/v1/users/" + user.id() + "/roles/" + binding).then().statusCode(204);
    }

    // --- SCIM /Roles ------------------------------------------------------------------------------------------------

    @Test
    void scimRoleWritesFollowTheSameRule() {
        Manager manager = manager(true, "roles:read", "roles:manage");
        String name = unique("Escalated over SCIM");
        assertScimError(scim(manager.token(), "POST", "/Roles", Map.of("schemas", List.of(ROLE_SCHEMA, ACCESS),
                "displayName", name, ACCESS, Map.of("permissions", List.of("users:manage")))), 403, null,
                "users:manage");
        assertScimError(scim(manager.token(), "POST", "/Roles", Map.of("schemas", List.of(ROLE_SCHEMA, ACCESS),
                "displayName", name, ACCESS, Map.of("copyFrom", "organization-owner"))), 403, null, "users:manage");
        assertEquals(0, rolesNamed(name));

        assertScimError(scim(manager.token(), "PUT", "/Roles/" + manager.roleId(), Map.of("schemas",
                List.of(ROLE_SCHEMA, ACCESS), "displayName", manager.roleName(), ACCESS, Map.of("permissions",
                        List.of("roles:read", "roles:manage"), "policies", List.of(Map.of("value", "UsersFullAccess"))))),
                403, null, "users:");
        assertScimError(scim(manager.token(), "PATCH", "/Roles/" + manager.roleId(), Map.of("schemas", List.of(PATCH_OP),
                "Operations", List.of(Map.of("op", "add", "path", ACCESS + ":permissions",
                        "value", List.of("access-keys:manage"))))), 403, null, "access-keys:manage");
        JsonPath after = role(manager.roleId());
        assertEquals(List.of("roles:manage", "roles:read"), after.getList("permissions"));
        assertEquals(List.of(), after.getList("policies"));
    }

    @Test
    void scimCopyFromScimClientIs400() {
        String token = Tokens.withRoles("scim-client", "organization-owner");
        String name = unique("IdP copy over SCIM");
        assertScimError(scim(token, "POST", "/Roles", Map.of("schemas", List.of(ROLE_SCHEMA, ACCESS),
                "displayName", name, ACCESS, Map.of("copyFrom", "scim-client"))), 400, "invalidValue", "scim:provision");
        assertEquals(0, rolesNamed(name));
    }

    // --- holders see the new definition -----------------------------------------------------------------------------

    @Test
    void aDefinitionChangeReachesTheRolesHoldersWithinTheCacheTime() throws InterruptedException {
        String roleId = customRole(unique("Reader"), List.of("roles:read", "reports:read"), List.of());
        String token = Tokens.withRoles(roleId);
        as(token).when().get(ROLES).then().statusCode(200);
        asOwner().body(Map.of("name", role(roleId).getString("name"), "permissions", List.of("reports:read")))
                .when().put(ROLES + "/" + roleId).then().statusCode(200);
        long deadline = System.nanoTime() + 7_000_000_000L;
        int status = 200;
        while (System.nanoTime() < deadline && status == 200) {
            status = as(token).when().get(ROLES).then().extract().statusCode();
            if (status == 200) {
                Thread.sleep(250);
            }
        }
        assertEquals(403, status, "roles:read was taken from the role, but its holder still lists roles");
    }

    private static String ownerRoleId() {
        String id = asOwner().queryParam("search", "Organization Owner").when().get(ROLES).then().statusCode(200)
                .extract().path("items.find { it.value == 'organization-owner' }.id");
        assertTrue(id != null && !id.isEmpty());
        return id;
    }
}
