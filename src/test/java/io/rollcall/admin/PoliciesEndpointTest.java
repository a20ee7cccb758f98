package io.rollcall.admin;

import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.createWorkspace;
import static io.rollcall.support.AdminFixtures.fixture;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.AccessRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@code /admin/v1/policies}: managed policies (read only, 400 mutability on any write) and custom ones; statements over
 * catalogue permissions or patterns and workspaces; rule 5 (no custom policy allows scim:provision).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PoliciesEndpointTest {

    private static final String POLICIES = "/admin/v1/policies";
    private static final String MANAGED = "CampaignsFullAccess";

    // --- Read -------------------------------------------------------------------------------------------------------

    @Test
    void listsManagedPoliciesAndTheOrganizationsCustomOnes() {
        String id = create(unique("Listed"), allow("campaigns:read")).extract().jsonPath().getString("id");
        JsonPath list = asOwner().when().get(POLICIES).then().statusCode(200)
                .body("items.find { it.name == '" + MANAGED + "' }.type", equalTo("managed"))
                .body("items.find { it.id == '" + id + "' }.type", equalTo("organization"))
                .extract().jsonPath();
        assertEquals(list.getList("items").size(), list.getInt("totalResults"));
    }

    @Test
    void narrowsTheListByType() {
        String id = create(unique("Custom only"), allow("campaigns:read")).extract().jsonPath().getString("id");
        asOwner().queryParam("type", "organization").when().get(POLICIES).then().statusCode(200)
                .body("items.type", everyItem(equalTo("organization"))).body("items.id", hasItem(id));
        asOwner().queryParam("type", "managed").when().get(POLICIES).then().statusCode(200)
                .body("items.type", everyItem(equalTo("managed"))).body("items.name", hasItem(MANAGED));
        assertProblem(asOwner().queryParam("type", "private").when().get(POLICIES).then(), 400, "'type'");
    }

    @Test
    void readsAManagedPolicyWithItsStatementsAndTheRolesUsingIt() {
        asOwner().when().get(POLICIES + "/" + managedId(MANAGED)).then().statusCode(200)
                .body("name", equalTo(MANAGED))
                .body("type", equalTo("managed"))
                .body("statements", equalTo(List.of(Map.of("effect", "allow", "permissions", List.of("campaigns:*"),
                        "resources", List.of("*")))));
        asOwner().when().get(POLICIES + "/" + managedId("KnowledgeBaseRead")).then().statusCode(200)
                .body("roles.value", hasItem("knowledge-base-user"))
                .body("roles.value", not(hasItem("visitor")));
    }

    @Test
    void hidesPoliciesPrivateToARole() {
        String roleId = AccessRows.customRole(unique("ticked"));
        String name = unique("Private");
        String policyId = AccessRows.privatePolicy(roleId, name, "campaigns:read");
        asOwner().when().get(POLICIES).then().statusCode(200).body("items.name", not(hasItem(name)));
        assertProblem(asOwner().when().get(POLICIES + "/" + policyId).then(), 404, policyId);
        assertProblem(asOwner().body(body(unique("x"), allow("campaigns:read"))).when().put(POLICIES + "/" + policyId)
                .then(), 404, policyId);
        assertProblem(asOwner().when().delete(POLICIES + "/" + policyId).then(), 404, policyId);
    }

    @Test
    void returns404ForAnUnknownOrMalformedId() {
        String id = UUID.randomUUID().toString();
        assertProblem(asOwner().when().get(POLICIES + "/" + id).then(), 404, id);
        assertProblem(asOwner().body(body("x", allow("campaigns:read"))).when().put(POLICIES + "/" + id).then(), 404, id);
        assertProblem(asOwner().when().delete(POLICIES + "/" + id).then(), 404, id);
        assertProblem(asOwner().when().get(POLICIES + "/CampaignsFullAccess").then(), 404, "CampaignsFullAccess");
    }

    // --- Create -----------------------------------------------------------------------------------------------------

    @Test
    void createsACustomPolicyResolvingWorkspaceNamesToIds() {
        String workspace = unique("Policy scope");
        String workspaceId = createWorkspace(workspace);
        String name = unique("Launch in one workspace");
        var response = create(name, List.of(
                Map.of("effect", "allow", "permissions", List.of("campaigns:*"), "resources", List.of(workspace)),
                Map.of("effect", "deny", "permissions", List.of("campaigns:launch"), "resources", List.of(workspaceId))))
                .body("name", equalTo(name))
                .body("description", equalTo("For the tests"))
                .body("type", equalTo("organization"))
                .body("version", equalTo(1))
                .body("createdAt", notNullValue())
                .body("roles", equalTo(List.of()))
                .body("statements[0]", equalTo(Map.of("effect", "allow", "permissions", List.of("campaigns:*"),
                        "resources", List.of(workspaceId))))
                .body("statements[1].effect", equalTo("deny"))
                .body("statements[1].resources", equalTo(List.of(workspaceId)))
                .extract();
        String id = response.jsonPath().getString("id");
        org.hamcrest.MatcherAssert.assertThat(response.header("Location"), endsWith(POLICIES + "/" + id));
        asOwner().when().get(POLICIES + "/" + id).then().statusCode(200).body("name", equalTo(name))
                .body("statements.size()", equalTo(2));
    }

    @Test
    void statementsWithoutResourcesCoverEveryWorkspace() {
        create(unique("Everywhere"), List.of(Map.of("effect", "Allow", "permissions", List.of("templates:read"))))
                .body("statements[0].effect", equalTo("allow"))
                .body("statements[0].resources", equalTo(List.of("*")));
    }

    @Test
    void acceptsEveryPermissionPatternExceptProvisioningOnesWhenTheyDeny() {
        List<Map<String, Object>> stored = List.of(
                Map.of("effect", "allow", "permissions", List.of("campaigns:*", "contacts:read", "inbox-settings:*"),
                        "resources", List.of("*")),
                Map.of("effect", "deny", "permissions", List.of("*"), "resources", List.of("*")),
                Map.of("effect", "deny", "permissions", List.of("scim:*", "scim:provision"), "resources", List.of("*")));
        String id = create(unique("Patterns"), List.of(
                Map.of("effect", "allow", "permissions", List.of("campaigns:*", "contacts:read", "inbox-settings:*")),
                Map.of("effect", "deny", "permissions", List.of("*")),
                Map.of("effect", "deny", "permissions", List.of("scim:*", "scim:provision"))))
                .body("statements", equalTo(stored))
                .extract().jsonPath().getString("id");
        asOwner().when().get(POLICIES + "/" + id).then().statusCode(200).body("statements", equalTo(stored));
    }

    @Test
    void refusesUnknownPermissionsNamingEveryOne() {
        ValidatableResponse response = asOwner().body(fixture("policies/create-unknown-permissions.json"))
                .when().post(POLICIES).then();
        assertProblem(response, 400, "campaigns:lunch").body("detail", containsString("galaxy:*"))
                .body("scimType", equalTo("invalidValue"))
                .body("detail", not(containsString("contacts:read")));
    }

    @Test
    void refusesUnknownWorkspacesNamingThem() {
        String known = createWorkspace(unique("Known"));
        assertProblem(asOwner().body(body(unique("Lost"), List.of(Map.of("effect", "allow",
                "permissions", List.of("campaigns:read"), "resources", List.of(known, "Atlantis", "Lemuria")))))
                .when().post(POLICIES).then(), 400, "Atlantis, Lemuria");
    }

    @ParameterizedTest(name = "allow {0} -> 400")
    @ValueSource(strings = { "scim:provision", "scim:*", "*" })
    void refusesACustomPolicyAllowingScimProvision(String permission) {
        assertProblem(asOwner().body(body(unique("Provisioner"), List.of(Map.of("effect", "allow",
                "permissions", List.of("campaigns:read", permission))))).when().post(POLICIES).then(), 400,
                "scim:provision")
                .body("scimType", equalTo("invalidValue"))
                .body("detail", containsString("SCIM Client"));
    }

    @ParameterizedTest(name = "{0} -> 400 naming ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "policies/create-bad-effect.json        | 'statements[0].effect' is 'perhaps'",
            "policies/create-no-statements.json     | 'statements' is empty",
            "policies/create-missing-name.json      | 'name' is required",
            "policies/create-empty-permissions.json | 'statements[0].permissions' is empty",
            "policies/create-empty-resources.json   | 'statements[0].resources' is empty",
            "policies/create-unknown-field.json     | 'condition'",
    })
    void refusesAnInvalidPolicyWith400(String fixture, String detail) {
        assertProblem(asOwner().body(fixture(fixture)).when().post(POLICIES).then(), 400, detail);
    }

    @Test
    void refusesANameTakenInAnyCaseWith409() {
        String name = unique("Twice");
        create(name, allow("campaigns:read"));
        assertProblem(asOwner().body(body(name.toUpperCase(), allow("campaigns:read"))).when().post(POLICIES).then(),
                409, "already exists");
    }

    @Test
    void refusesTheNameOfAManagedPolicyWith409() {
        assertProblem(asOwner().body(body("campaignsfullaccess", allow("campaigns:read"))).when().post(POLICIES).then(),
                409, "already exists");
    }

    // --- Replace ----------------------------------------------------------------------------------------------------

    @Test
    void replacesACustomPolicyAndBumpsItsVersion() {
        JsonPath created = create(unique("Before"), allow("campaigns:read")).extract().jsonPath();
        String id = created.getString("id");
        String name = unique("After");
        JsonPath replaced = asOwner().body(Map.of("name", name, "description", "new",
                "statements", List.of(Map.of("effect", "allow", "permissions", List.of("journeys:read")))))
                .when().put(POLICIES + "/" + id)
                .then().statusCode(200)
                .body("id", equalTo(id))
                .body("name", equalTo(name))
                .body("description", equalTo("new"))
                .body("version", equalTo(2))
                .body("statements[0].permissions", equalTo(List.of("journeys:read")))
                .extract().jsonPath();
        assertTrue(!Instant.parse(replaced.getString("updatedAt")).isBefore(Instant.parse(created.getString("updatedAt"))));
        asOwner().when().get(POLICIES + "/" + id).then().body("version", equalTo(2)).body("name", equalTo(name));
    }

    @Test
    void mayKeepItsOwnNameWhenReplaced() {
        String name = unique("Same name");
        String id = create(name, allow("campaigns:read")).extract().jsonPath().getString("id");
        asOwner().body(body(name, allow("campaigns:create"))).when().put(POLICIES + "/" + id).then().statusCode(200);
        asOwner().when().get(POLICIES + "/" + id).then().statusCode(200)
                .body("name", equalTo(name))
                .body("version", equalTo(2))
                .body("statements", equalTo(allow("campaigns:create")));
    }

    @Test
    void refusesAReplaceAllowingScimProvision() {
        String id = create(unique("Innocent"), allow("campaigns:read")).extract().jsonPath().getString("id");
        assertProblem(asOwner().body(body(unique("Sneaky"), allow("scim:*"))).when().put(POLICIES + "/" + id).then(),
                400, "scim:provision");
        asOwner().when().get(POLICIES + "/" + id).then().body("version", equalTo(1));
    }

    @Test
    void refusesToReplaceAManagedPolicyWithMutability() {
        String id = managedId(MANAGED);
        assertProblem(asOwner().body(body(MANAGED, allow("campaigns:read"))).when().put(POLICIES + "/" + id).then(),
                400, "managed policy").body("scimType", equalTo("mutability"));
        asOwner().when().get(POLICIES + "/" + id).then().body("statements[0].permissions", equalTo(List.of("campaigns:*")));
    }

    // --- Delete -----------------------------------------------------------------------------------------------------

    @Test
    void deletesACustomPolicy() {
        String id = create(unique("Short-lived"), allow("campaigns:read")).extract().jsonPath().getString("id");
        asOwner().when().delete(POLICIES + "/" + id).then().statusCode(204);
        assertProblem(asOwner().when().get(POLICIES + "/" + id).then(), 404, id);
    }

    @Test
    void deletingACustomPolicyDetachesItFromTheRolesUsingIt() {
        String id = create(unique("Attached"), allow("campaigns:read")).extract().jsonPath().getString("id");
        String value = unique("uses-it");
        String roleId = AccessRows.customRole(value, id, managedId("ReportsRead"));
        String version = AccessRows.strings("SELECT CAST(version AS text) FROM roles WHERE id = CAST(? AS uuid)", roleId)
                .get(0);
        asOwner().when().get(POLICIES + "/" + id).then().body("roles.value", equalTo(List.of(value)));

        asOwner().when().delete(POLICIES + "/" + id).then().statusCode(204);

        assertEquals(List.of(managedId("ReportsRead")), AccessRows.strings(
                "SELECT CAST(policy_id AS text) FROM role_policies WHERE role_id = CAST(? AS uuid)", roleId));
        assertEquals(List.of(String.valueOf(Long.parseLong(version) + 1)), AccessRows.strings(
                "SELECT CAST(version AS text) FROM roles WHERE id = CAST(? AS uuid)", roleId));
    }

    @Test
    void refusesToDeleteAManagedPolicyWithMutability() {
        String id = managedId(MANAGED);
        assertProblem(asOwner().when().delete(POLICIES + "/" + id).then(), 400, "managed policy")
                .body("scimType", equalTo("mutability"));
        asOwner().when().get(POLICIES + "/" + id).then().statusCode(200);
    }

    // --- Who may call -----------------------------------------------------------------------------------------------

    @Test
    void aCallerWithoutRolesReadMayNotReadPoliciesWith403() {
        String token = Tokens.withRoles("analyze-manager");
        assertProblem(as(token).when().get(POLICIES).then(), 403, "roles:read");
        assertProblem(as(token).when().get(POLICIES + "/" + managedId(MANAGED)).then(), 403, "roles:read");
    }

    @Test
    void aReaderMayNotWritePoliciesWith403NamingRolesManage() {
        String reader = Tokens.scimClient();
        as(reader).when().get(POLICIES).then().statusCode(200);
        String id = create(unique("Read only for them"), allow("campaigns:read")).extract().jsonPath().getString("id");
        assertProblem(as(reader).body(body(unique("No"), allow("campaigns:read"))).when().post(POLICIES).then(), 403,
                "roles:manage");
        assertProblem(as(reader).body(body(unique("No"), allow("campaigns:read"))).when().put(POLICIES + "/" + id)
                .then(), 403, "roles:manage");
        assertProblem(as(reader).when().delete(POLICIES + "/" + id).then(), 403, "roles:manage");
        assertProblem(as(reader).when().delete(POLICIES + "/" + managedId(MANAGED)).then(), 403, "roles:manage");
    }

    @Test
    void aPolicyManagerWritesOnlyPoliciesWithinItsOwnPermissions() {
        String roleId = AccessRows.customRole(unique("policy-author"));
        AccessRows.privatePolicy(roleId, unique("author rights"), "roles:read", "roles:manage", "campaigns:read");
        String value = AccessRows.strings("SELECT value FROM roles WHERE id = CAST(? AS uuid)", roleId).get(0);
        String author = Tokens.withRoles(value);

        String within = as(author).body(body(unique("Within"), allow("campaigns:read"))).when().post(POLICIES).then()
                .statusCode(201).extract().path("id");
        asOwner().when().get(POLICIES + "/" + within).then().statusCode(200)
                .body("statements", equalTo(allow("campaigns:read")));
        String beyond = unique("Beyond");
        assertProblem(as(author).body(body(beyond, allow("campaigns:*"))).when().post(POLICIES).then(), 403,
                "campaigns:launch");
        asOwner().when().get(POLICIES).then().statusCode(200).body("items.name", not(hasItem(beyond)));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static List<Map<String, Object>> allow(String permission) {
        return List.of(Map.of("effect", "allow", "permissions", List.of(permission), "resources", List.of("*")));
    }

    private static Map<String, Object> body(String name, List<Map<String, Object>> statements) {
        return Map.of("name", name, "description", "For the tests", "statements", statements);
    }

    private static ValidatableResponse create(String name, List<? extends Map<String, ?>> statements) {
        return asOwner().body(Map.of("name", name, "description", "For the tests", "statements", statements))
                .when().post(POLICIES).then().statusCode(201);
    }

    private static String managedId(String name) {
        return asOwner().queryParam("type", "managed").when().get(POLICIES).then().statusCode(200)
                .extract().jsonPath().getString("items.find { it.name == '" + name + "' }.id");
    }
}
