package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rollcall.support.AccessRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Race;
import io.rollcall.support.Tokens;

/**
 * {@code /admin/v1/organizations}: the platform operator creates, lists, reads, renames, suspends, resumes and deletes
 * organizations with its own token, which does nothing inside an organization; an organization's keys do nothing here.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OrganizationsEndpointTest {

    private static final String ORGANIZATIONS = "/admin/v1/organizations";
    private static final String SCIM_JSON = "application/scim+json";

    private static JsonPath created(String name) {
        return as(Tokens.operator()).body(Map.of("name", name)).when().post(ORGANIZATIONS).then().statusCode(201)
                .extract().jsonPath();
    }

    private static List<String> roleValues(String token) {
        return as(token).when().get("/admin/v1/roles").then().statusCode(200).extract().jsonPath().getList("items.value");
    }

    @Test
    void theOperatorTokenIsWrittenOwnerOnlyAtFirstStart() throws Exception {
        var file = Tokens.dataDir().resolve("operator.token");
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        assertTrue(Files.readString(file).trim().startsWith("rco_"));
    }

    @Test
    void aNewOrganizationGetsTheManagedRolesDefaultSettingsAndAnOwnerKeyShownOnce() {
        String name = unique("acme");
        JsonPath organization = created(name);
        assertEquals(name, organization.getString("name"));
        assertTrue(organization.getString("id").matches("[0-9a-f-]{36}"));
        assertTrue(organization.getString("createdAt") != null && !organization.getBoolean("suspended"));
        String owner = organization.getString("accessKey.token");
        assertEquals(new TreeSet<>(roleValues(Tokens.owner()).stream().filter(v -> managed(v)).toList()),
                new TreeSet<>(roleValues(owner)), "the same managed roles as the first organization");
        as(owner).when().get("/admin/v1/settings").then().statusCode(200)
                .body("fallbackRole", equalTo("knowledge-base-user"));
        as(Tokens.operator()).when().get(ORGANIZATIONS + "/" + organization.getString("id")).then().statusCode(200)
                .body("name", equalTo(name)).body("accessKey", nullValue())
                .body("counts.users", equalTo(0)).body("counts.groups", equalTo(0))
                .body("counts.accessKeys", equalTo(1)).body("counts.roles", equalTo(roleValues(owner).size()));
    }

    private static boolean managed(String value) {
        return as(Tokens.owner()).queryParam("type", "managed").when().get("/admin/v1/roles").then().extract()
                .jsonPath().getList("items.value").contains(value);
    }

    @Test
    void namesAreRequiredAndUniqueInAnyCase() {
        String name = unique("Globex");
        created(name);
        assertProblem(as(Tokens.operator()).body(Map.of("name", name.toUpperCase())).when().post(ORGANIZATIONS).then(),
                409, "exists");
        assertProblem(as(Tokens.operator()).body(Map.of("name", "  ")).when().post(ORGANIZATIONS).then(), 400,
                "'name' is required");
    }

    @Test
    void organizationsAreListedByNameInPages() {
        created(unique("zz-page"));
        JsonPath page = as(Tokens.operator()).queryParam("count", 1).when().get(ORGANIZATIONS).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(1, page.getInt("itemsPerPage"));
        assertTrue(page.getInt("totalResults") >= 2);
        assertEquals(0, as(Tokens.operator()).queryParam("count", 0).when().get(ORGANIZATIONS).then().statusCode(200)
                .extract().jsonPath().getList("items").size());
        assertProblem(as(Tokens.operator()).queryParam("startIndex", 0).when().get(ORGANIZATIONS).then(), 400,
                "startIndex");
    }

    @Test
    void rfc9457_badPagingOfOrganizationsIsA400ProblemNamingTheParameterNotA404() {
        assertProblem(as(Tokens.operator()).queryParam("startIndex", "abc").when().get(ORGANIZATIONS).then(), 400,
                "'startIndex'");
        assertProblem(as(Tokens.operator()).queryParam("count", "x").when().get(ORGANIZATIONS).then(), 400, "'count'");
        assertProblem(as(Tokens.operator()).queryParam("count", "-1").when().get(ORGANIZATIONS).then(), 400,
                "count=-1");
    }

    @Test
    void anOrganizationsPageLargerThanTheMaximumIsCutToIt() {
        as(Tokens.operator()).queryParam("count", 100_000).when().get(ORGANIZATIONS).then().statusCode(200)
                .body("itemsPerPage", lessThanOrEqualTo(1000));
    }

    @Test
    void anOrganizationsKeysCannotManageOrganizationsAndTheOperatorCannotActInsideOne() {
        assertProblem(as(Tokens.owner()).when().get(ORGANIZATIONS).then(), 403, "platform operator");
        assertProblem(as(Tokens.owner()).body(Map.of("name", unique("x"))).when().post(ORGANIZATIONS).then(), 403,
                "platform operator");
        assertProblem(as(Tokens.operator()).when().get("/admin/v1/roles").then(), 403, "can do nothing inside");
        assertScimError(given().auth().oauth2(Tokens.operator()).when().get("/scim/v2/Users").then(), 403, null,
                "can do nothing inside");
        assertProblem(given().when().get(ORGANIZATIONS).then(), 401, "Bearer");
        assertProblem(given().auth().oauth2("rco_not-the-token").when().get(ORGANIZATIONS).then(), 401, "not valid");
    }

    @Test
    void aSuspendedOrganizationsTokensAre403EverywhereUntilItIsResumed() {
        JsonPath organization = created(unique("suspended"));
        String id = organization.getString("id");
        String owner = organization.getString("accessKey.token");
        String scim = Tokens.withRolesIn(owner, "scim-client");
        given().auth().oauth2(scim).when().get("/scim/v2/Users").then().statusCode(200);
        as(Tokens.operator()).body(Map.of("suspended", true)).when().patch(ORGANIZATIONS + "/" + id).then()
                .statusCode(200).body("suspended", equalTo(true)).body("suspendedAt", notNullValue());
        assertProblem(as(owner).when().get("/admin/v1/roles").then(), 403, "suspended");
        assertScimError(given().auth().oauth2(scim).when().get("/scim/v2/Users").then(), 403, null, "suspended");
        as(Tokens.operator()).body(Map.of("suspended", false)).when().patch(ORGANIZATIONS + "/" + id).then()
                .statusCode(200).body("suspended", equalTo(false));
        as(owner).when().get("/admin/v1/roles").then().statusCode(200);
        given().auth().oauth2(scim).when().get("/scim/v2/Users").then().statusCode(200);
    }

    @Test
    void renamingKeepsNamesUnique() {
        String taken = unique("taken");
        created(taken);
        String id = created(unique("renamed")).getString("id");
        String newName = unique("new-name");
        as(Tokens.operator()).body(Map.of("name", newName)).when().patch(ORGANIZATIONS + "/" + id).then()
                .statusCode(200).body("name", equalTo(newName));
        assertProblem(as(Tokens.operator()).body(Map.of("name", taken)).when().patch(ORGANIZATIONS + "/" + id).then(),
                409, "exists");
        as(Tokens.operator()).when().get(ORGANIZATIONS + "/" + id).then().body("name", equalTo(newName));
    }

    @Test
    void deletingNeedsTheNameRepeatedThenRemovesEverything() {
        String name = unique("doomed");
        JsonPath organization = created(name);
        String id = organization.getString("id");
        String owner = organization.getString("accessKey.token");
        String scim = Tokens.withRolesIn(owner, "scim-client");
        given().auth().oauth2(scim).contentType(SCIM_JSON).body(Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", "ana@doomed.example"))
                .when().post("/scim/v2/Users").then().statusCode(201);
        assertProblem(as(Tokens.operator()).when().delete(ORGANIZATIONS + "/" + id).then(), 409, "confirm");
        assertProblem(as(Tokens.operator()).queryParam("confirm", name.toUpperCase()).when()
                .delete(ORGANIZATIONS + "/" + id).then(), 409, "confirm");
        as(Tokens.operator()).when().get(ORGANIZATIONS + "/" + id).then().statusCode(200).body("counts.users", equalTo(1));
        String userId = given().auth().oauth2(scim).queryParam("filter", "userName eq \"ana@doomed.example\"").when()
                .get("/scim/v2/Users").then().extract().path("Resources[0].id");
        String groupId = given().auth().oauth2(scim).contentType(SCIM_JSON).body(Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:Group"), "displayName", "Doomed",
                "members", List.of(Map.of("value", userId)))).when().post("/scim/v2/Groups").then().statusCode(201)
                .extract().path("id");
        String workspace = as(owner).body(Map.of("name", "Doomed EU")).when().post("/admin/v1/workspaces").then()
                .statusCode(201).extract().path("id");
        as(owner).body(Map.of("name", "Doomed policy", "statements", List.of(Map.of("effect", "allow",
                "permissions", List.of("reports:read"), "resources", List.of(workspace))))).when()
                .post("/admin/v1/policies").then().statusCode(201);
        String key = Tokens.claimsOf(scim).get("sub").toString();
        as(owner).when().post("/admin/v1/access-keys/" + key + "/secrets").then().statusCode(201);
        List<String> tables = AccessRows.strings("SELECT table_name FROM information_schema.columns "
                + "WHERE table_schema = 'public' AND column_name = 'org_id' AND table_name <> ? ORDER BY table_name",
                "organizations");
        assertTrue(tables.containsAll(List.of("users", "groups", "roles", "role_bindings", "policies", "workspaces",
                "access_keys", "access_key_secrets")), tables.toString());

        as(Tokens.operator()).queryParam("confirm", name).when().delete(ORGANIZATIONS + "/" + id).then().statusCode(204);

        for (String table : tables) {
            assertEquals("0", AccessRows.strings("SELECT CAST(count(*) AS text) FROM " + table
                    + " WHERE org_id = CAST(? AS uuid)", id).get(0), "rows left in " + table);
        }
        assertEquals("0", AccessRows.strings("SELECT CAST(count(*) AS text) FROM group_members "
                + "WHERE group_id = CAST(? AS uuid)", groupId).get(0), "rows left in group_members");
        assertProblem(as(Tokens.operator()).when().get(ORGANIZATIONS + "/" + id).then(), 404, "No organization");
        assertProblem(as(owner).when().get("/admin/v1/roles").then(), 401, "revoked, expired or unknown");
    }

    private static int createUser(String token, String userName) {
        return given().auth().oauth2(token).contentType(SCIM_JSON).body(Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", userName))
                .when().post("/scim/v2/Users").then().extract().statusCode();
    }

    /** RFC 7643 §4.1.1: userName is unique within an organization, not across them. */
    @Test
    void rfc7643_4_1_1_racingCreatesOfOneUserNameInTwoOrganizationsBothSucceed() throws Exception {
        String first = Tokens.withRolesIn(created(unique("race-a")).getString("accessKey.token"), "scim-client");
        String second = Tokens.withRolesIn(created(unique("race-b")).getString("accessKey.token"), "scim-client");
        for (int round = 0; round < 10; round++) {
            String userName = unique("same") + "@example.com";
            List<Integer> statuses = Race.of(() -> createUser(first, userName), () -> createUser(second, userName));
            assertEquals(List.of(201, 201), statuses, "round " + round);
        }
    }
}
