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
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.AdminFixtures.User;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@code /admin/v1/workspaces}: create, list, read, rename (merge patch), delete with its bindings under rule 1; names
 * unique per organization in any case and without '@'.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class WorkspacesEndpointTest {

    private static final String WORKSPACES = "/admin/v1/workspaces";

    // --- Create and read --------------------------------------------------------------------------------------------

    @Test
    void createsAWorkspaceWithItsDescriptionAndLocation() {
        String name = unique("Marketing EU");
        var response = asOwner().body(Map.of("name", name, "description", "Campaigns for Europe"))
                .when().post(WORKSPACES)
                .then().statusCode(201)
                .contentType(startsWith("application/json"))
                .body("id", notNullValue())
                .body("name", equalTo(name))
                .body("description", equalTo("Campaigns for Europe"))
                .body("createdAt", notNullValue())
                .extract();
        String id = response.jsonPath().getString("id");
        UUID.fromString(id);
        String location = response.header("Location");
        org.hamcrest.MatcherAssert.assertThat(location, endsWith(WORKSPACES + "/" + id));
        asOwner().when().get(location).then().statusCode(200).body("name", equalTo(name));
    }

    @Test
    void aDescriptionIsOptional() {
        asOwner().body(Map.of("name", unique("Sales"))).when().post(WORKSPACES)
                .then().statusCode(201).body("description", equalTo(""));
    }

    @Test
    void trimsTheName() {
        String name = unique("Support");
        asOwner().body(Map.of("name", "  " + name + "  ")).when().post(WORKSPACES)
                .then().statusCode(201).body("name", equalTo(name));
    }

    @Test
    void listsTheOrganizationsWorkspaces() {
        String id = createWorkspace(unique("Listed"));
        JsonPath list = asOwner().when().get(WORKSPACES).then().statusCode(200)
                .body("items.id", hasItem(id))
                .extract().jsonPath();
        assertEquals(list.getList("items").size(), list.getInt("totalResults"));
    }

    @Test
    void readsOneWorkspace() {
        String name = unique("Read me");
        String id = createWorkspace(name);
        asOwner().when().get(WORKSPACES + "/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("name", equalTo(name)).body("description", equalTo(""));
    }

    @Test
    void returns404ForAnUnknownOrMalformedId() {
        String id = UUID.randomUUID().toString();
        assertProblem(asOwner().when().get(WORKSPACES + "/" + id).then(), 404, id);
        assertProblem(asOwner().body(Map.of("name", "x")).when().patch(WORKSPACES + "/" + id).then(), 404, id);
        assertProblem(asOwner().when().delete(WORKSPACES + "/" + id).then(), 404, id);
        assertProblem(asOwner().when().get(WORKSPACES + "/not-an-id").then(), 404, "not-an-id");
    }

    // --- Create: refusals -------------------------------------------------------------------------------------------

    @Test
    void refusesANameTakenInAnyCaseWith409() {
        String name = unique("Finance");
        createWorkspace(name);
        assertProblem(asOwner().body(Map.of("name", name.toUpperCase())).when().post(WORKSPACES).then(), 409,
                "already exists");
    }

    @ParameterizedTest(name = "name ''{0}'' -> 400 saying ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "Marketing@EU                          | contains '@'",
            "\"   \"                                 | 'name' is required",
            "2819c223-7f76-453a-919d-413861904646  | form of an id",
    })
    void refusesAnInvalidNameWith400(String name, String detail) {
        assertProblem(asOwner().body(Map.of("name", name)).when().post(WORKSPACES).then(), 400, detail);
    }

    @Test
    void refusesAMissingNameWith400() {
        assertProblem(asOwner().body(Map.of("description", "no name")).when().post(WORKSPACES).then(), 400,
                "'name' is required");
    }

    @Test
    void refusesANameLongerThan200CharactersWith400() {
        assertProblem(asOwner().body(Map.of("name", "w".repeat(201))).when().post(WORKSPACES).then(), 400,
                "201 characters");
    }

    @ParameterizedTest(name = "{0} -> 400 naming ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "workspaces/create-unknown-field.json     | 'colour'",
            "workspaces/create-malformed.json         | not valid JSON",
            "workspaces/create-name-not-a-string.json | 'name'",
    })
    void refusesAMalformedBodyWith400(String fixture, String detail) {
        assertProblem(asOwner().body(fixture(fixture)).when().post(WORKSPACES).then(), 400, detail);
    }

    @Test
    void refusesAnEmptyBodyWith400() {
        assertProblem(asOwner().body("").when().post(WORKSPACES).then(), 400, "JSON object");
    }

    // --- Rename -----------------------------------------------------------------------------------------------------

    @Test
    void renamesAWorkspaceAndKeepsWhatThePatchLeavesOut() {
        String id = asOwner().body(Map.of("name", unique("Old"), "description", "kept")).when().post(WORKSPACES)
                .then().statusCode(201).extract().jsonPath().getString("id");
        String name = unique("New");
        asOwner().body(Map.of("name", name)).when().patch(WORKSPACES + "/" + id)
                .then().statusCode(200).body("name", equalTo(name)).body("description", equalTo("kept"));
        asOwner().body(Map.of("description", "changed")).when().patch(WORKSPACES + "/" + id)
                .then().statusCode(200).body("name", equalTo(name)).body("description", equalTo("changed"));
        asOwner().when().get(WORKSPACES + "/" + id).then().body("name", equalTo(name))
                .body("description", equalTo("changed"));
    }

    @Test
    void acceptsAJsonMergePatch() {
        String id = createWorkspace(unique("Merge"));
        given().auth().oauth2(Tokens.owner()).contentType("application/merge-patch+json")
                .body(AdminFixtures.json(Map.of("description", "via merge patch")))
                .when().patch(WORKSPACES + "/" + id)
                .then().statusCode(200).body("description", equalTo("via merge patch"));
    }

    @Test
    void mayChangeTheCaseOfItsOwnName() {
        String name = unique("casing");
        String id = createWorkspace(name);
        asOwner().body(Map.of("name", name.toUpperCase())).when().patch(WORKSPACES + "/" + id)
                .then().statusCode(200).body("name", equalTo(name.toUpperCase()));
    }

    @Test
    void refusesARenameToATakenNameWith409() {
        String taken = unique("Taken");
        createWorkspace(taken);
        String id = createWorkspace(unique("Other"));
        assertProblem(asOwner().body(Map.of("name", taken.toLowerCase())).when().patch(WORKSPACES + "/" + id).then(),
                409, "already exists");
    }

    @Test
    void refusesARenameWithAnAtSignWith400() {
        String id = createWorkspace(unique("Plain"));
        assertProblem(asOwner().body(Map.of("name", "a@b")).when().patch(WORKSPACES + "/" + id).then(), 400,
                "contains '@'");
    }

    @Test
    void aRenameShowsInTheRolesOfUsersBoundThereWithANewVersion() {
        String workspaceId = createWorkspace(unique("Before"));
        User user = createUser();
        bind("users", user.id(), "campaign-manager", workspaceId);
        String etag = scimUser(user.id()).header("ETag");

        String renamed = unique("After");
        asOwner().body(Map.of("name", renamed)).when().patch(WORKSPACES + "/" + workspaceId).then().statusCode(200);

        var after = scimUser(user.id());
        assertNotEquals(etag, after.header("ETag"), "roles changed, so the version did");
        assertEquals(List.of("campaign-manager@" + renamed), after.jsonPath().getList("roles.value"));
    }

    // --- Delete -----------------------------------------------------------------------------------------------------

    @Test
    void deletesAWorkspaceWithItsBindings() {
        String name = unique("Doomed");
        String id = createWorkspace(name);
        User user = createUser();
        bind("users", user.id(), "inbox-agent", null);
        bind("users", user.id(), "campaign-manager", name);

        asOwner().when().delete(WORKSPACES + "/" + id).then().statusCode(204);

        assertProblem(asOwner().when().get(WORKSPACES + "/" + id).then(), 404, id);
        asOwner().when().get(WORKSPACES).then().body("items.id", not(hasItem(id)));
        assertEquals(List.of("inbox-agent local"), bindings("users", user.id()));
    }

    @Test
    void refusesToDeleteAWorkspaceHoldingAUsersOnlyRoleWith409() {
        String name = unique("Only role here");
        String id = createWorkspace(name);
        User user = createUser();
        bind("users", user.id(), "campaign-manager", id);
        assertEquals(List.of("campaign-manager@" + name + " local"), bindings("users", user.id()),
                "the admin binding replaced the fallback role");

        assertProblem(asOwner().when().delete(WORKSPACES + "/" + id).then(), 409, user.userName());

        asOwner().when().get(WORKSPACES + "/" + id).then().statusCode(200);
        assertEquals(List.of("campaign-manager@" + name + " local"), bindings("users", user.id()));
    }

    @Test
    void refusesToDeleteAWorkspaceHoldingTheOnlyRoleAGroupGivesItsNestedMembersWith409() {
        String id = createWorkspace(unique("Group scope"));
        User user = createUser();
        String inner = createGroup(unique("inner"), user.id());
        String outer = createGroup(unique("outer"), inner);
        bind("groups", outer, "campaign-manager", id);
        assertEquals(List.of(), bindings("users", user.id()), "the group's role replaced the fallback role");

        assertProblem(asOwner().when().delete(WORKSPACES + "/" + id).then(), 409, user.userName());
        asOwner().when().get(WORKSPACES + "/" + id).then().statusCode(200);
    }

    @Test
    void deletingAWorkspaceTakesItOutOfPolicyStatements() {
        String doomed = createWorkspace(unique("Statement scope"));
        String kept = createWorkspace(unique("Kept scope"));
        JsonPath policy = asOwner().body(Map.of("name", unique("Scoped policy"), "statements", List.of(
                Map.of("effect", "allow", "permissions", List.of("campaigns:read"), "resources", List.of(doomed, kept)),
                Map.of("effect", "deny", "permissions", List.of("campaigns:launch"), "resources", List.of(doomed)))))
                .when().post("/admin/v1/policies").then().statusCode(201).extract().jsonPath();

        asOwner().when().delete(WORKSPACES + "/" + doomed).then().statusCode(204);

        asOwner().when().get("/admin/v1/policies/" + policy.getString("id")).then().statusCode(200)
                .body("version", equalTo(policy.getInt("version") + 1))
                .body("statements.size()", equalTo(1))
                .body("statements[0].resources", equalTo(List.of(kept)));
    }

    // --- Who may call -----------------------------------------------------------------------------------------------

    @Test
    void aCallerWithoutWorkspacesReadMayNotListOrReadWith403() {
        String id = createWorkspace(unique("Hidden"));
        String token = Tokens.withRoles("inbox-agent");
        assertProblem(as(token).when().get(WORKSPACES).then(), 403, "workspaces:read");
        assertProblem(as(token).when().get(WORKSPACES + "/" + id).then(), 403, "workspaces:read");
    }

    @Test
    void aReaderMayNotCreateRenameOrDeleteWith403NamingThePermission() {
        String id = createWorkspace(unique("Guarded"));
        String analyst = Tokens.withRoles("analyze-manager");
        as(analyst).when().get(WORKSPACES + "/" + id).then().statusCode(200);
        assertProblem(as(analyst).body(Map.of("name", unique("Nope"))).when().post(WORKSPACES).then(), 403,
                "workspaces:create");
        assertProblem(as(analyst).body(Map.of("name", unique("Nope"))).when().patch(WORKSPACES + "/" + id).then(), 403,
                "workspaces:manage");
        assertProblem(as(analyst).when().delete(WORKSPACES + "/" + id).then(), 403, "workspaces:delete");
        asOwner().when().get(WORKSPACES + "/" + id).then().statusCode(200);
    }

    @Test
    void aWorkspaceOwnerMayRenameAWorkspaceButNotCreateOne() {
        String id = createWorkspace(unique("Owned"));
        String workspaceOwner = Tokens.withRoles("workspace-owner");
        String name = unique("Renamed by its owner");
        as(workspaceOwner).body(Map.of("name", name)).when().patch(WORKSPACES + "/" + id)
                .then().statusCode(200).body("name", equalTo(name));
        assertProblem(as(workspaceOwner).body(Map.of("name", unique("New"))).when().post(WORKSPACES).then(), 403,
                "workspaces:create");
    }

    private static io.restassured.response.Response scimUser(String id) {
        return given().auth().oauth2(scimToken()).accept("application/scim+json").when().get("/scim/v2/Users/" + id)
                .then().statusCode(200).extract().response();
    }
}
