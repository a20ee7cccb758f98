package io.rollcall.scim;

import static io.rollcall.scim.WriteFixtures.fixture;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * The order of a write's refusals (docs/scim.md, "Errors"): on {@code PUT}, {@code PATCH} and {@code DELETE} of
 * {@code /Users}, {@code /Groups} and {@code /Roles}, and in a Bulk operation, an id that names no resource of the
 * caller's organization — none at all, or another organization's (RFC 7644 §3.12 404, "the specified resource ... does
 * not exist") — is 404 even when the body is invalid too; the same body on an existing resource is the 400 it earns.
 * A body that is not JSON at all is the message's fault, refused before any resource is looked at (400
 * {@code invalidSyntax}).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class NotFoundBeforeInvalidBodyTest {

    private static final String ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";

    private static String token;
    /** A user, a group and a custom role of this organization, and of another one. */
    private static Map<String, String> own;
    private static Map<String, String> foreign;

    @BeforeEach
    void resourcesInTwoOrganizations() {
        if (token != null) {
            return;
        }
        token = Tokens.withRoles("scim-client", "organization-owner");
        own = resources(token);
        Tokens.CreatedKey other = Tokens.newOrganization(GroupsFixtures.unique("not-found-first"));
        foreign = resources(Tokens.withRolesIn(other.token(), "scim-client", "organization-owner"));
    }

    private static Map<String, String> resources(String bearer) {
        String user = GroupsFixtures.createUser(bearer, GroupsFixtures.unique("nff") + "@example.com");
        String group = GroupsFixtures.createGroup(bearer, GroupsFixtures.unique("nff"), user);
        String role = UserFixtures.scim(bearer).body(Map.of("schemas", List.of("urn:okta:scim:schemas:core:1.0:Role",
                        ACCESS), "displayName", GroupsFixtures.unique("nff"), ACCESS,
                        Map.of("permissions", List.of("reports:read"))))
                .when().post("/scim/v2/Roles").then().statusCode(201).extract().path("id");
        return Map.of("Users", user, "Groups", group, "Roles", role);
    }

    /** Each write with a body refused on an existing resource: endpoint, method, fixture, the 400's scimType. */
    static Stream<Arguments> invalidWrites() {
        return Stream.of(
                Arguments.of("Users", "PUT", "put-user-without-user-name.json", "invalidValue"),
                Arguments.of("Users", "PATCH", "patch-remove-with-value.json", "invalidValue"),
                Arguments.of("Users", "PATCH", "patch-without-schemas.json", "invalidSyntax"),
                Arguments.of("Groups", "PUT", "put-group-without-display-name.json", "invalidValue"),
                Arguments.of("Groups", "PATCH", "patch-add-member-not-an-id.json", "invalidValue"),
                Arguments.of("Groups", "PATCH", "patch-without-schemas.json", "invalidSyntax"),
                Arguments.of("Roles", "PUT", "put-role-without-display-name.json", "invalidValue"),
                Arguments.of("Roles", "PATCH", "patch-remove-with-value.json", "invalidValue"),
                Arguments.of("Roles", "PATCH", "patch-without-schemas.json", "invalidSyntax"));
    }

    private static String body(String fixture) {
        return fixture(fixture, fixture.equals("patch-remove-with-value.json")
                ? Map.of("path", "displayName", "value", "\"x\"") : Map.of());
    }

    private static ValidatableResponse send(String method, String path, String body) {
        return UserFixtures.scim(token).body(body).when().request(method, "/scim/v2" + path).then();
    }

    @ParameterizedTest(name = "{1} /{0} {2}")
    @MethodSource("invalidWrites")
    void rfc7644_3_12_anIdOfNoResourceIs404EvenWhenTheBodyIsInvalidToo(String endpoint, String method, String fixture,
            String scimType) {
        String missing = UUID.randomUUID().toString();
        assertScimError(send(method, "/" + endpoint + "/" + missing, body(fixture)), 404, null, missing);
    }

    @ParameterizedTest(name = "{1} /{0} {2}")
    @MethodSource("invalidWrites")
    void rfc7644_3_12_anotherOrganizationsIdIs404EvenWhenTheBodyIsInvalidToo(String endpoint, String method,
            String fixture, String scimType) {
        String theirs = foreign.get(endpoint);
        assertScimError(send(method, "/" + endpoint + "/" + theirs, body(fixture)), 404, null, theirs);
    }

    @ParameterizedTest(name = "{1} /{0} {2}")
    @MethodSource("invalidWrites")
    void rfc7644_3_12_theSameBodyOnAnExistingResourceIs400AndChangesNothing(String endpoint, String method,
            String fixture, String scimType) {
        String path = "/" + endpoint + "/" + own.get(endpoint);
        String version = get(path).getString("meta.version");
        assertScimError(send(method, path, body(fixture)), 400, scimType, "");
        assertEquals(version, get(path).getString("meta.version"));
    }

    @Test
    void rfc7644_3_12_aDeleteOfAnotherOrganizationsResourceIs404AndItStays() {
        for (String endpoint : List.of("Users", "Groups", "Roles")) {
            String theirs = foreign.get(endpoint);
            assertScimError(send("DELETE", "/" + endpoint + "/" + theirs, ""), 404, null, theirs);
        }
    }

    @Test
    void rfc7644_3_7_3_bulkOperationsOnIdsOfNoResourceAre404EvenWithInvalidData() {
        for (Map<String, String> ids : List.of(Map.of("user", UUID.randomUUID().toString(), "group",
                UUID.randomUUID().toString(), "role", UUID.randomUUID().toString()), Map.of("user", foreign.get("Users"),
                        "group", foreign.get("Groups"), "role", foreign.get("Roles")))) {
            JsonPath response = UserFixtures.scim(token).body(fixture("bulk-invalid-writes.json", ids))
                    .when().post("/scim/v2/Bulk").then().statusCode(200).extract().jsonPath();
            assertEquals(List.of("404", "404", "404", "404", "404", "404"), response.getList("Operations.status"),
                    response.prettify());
        }
    }

    @Test
    void rfc7644_3_7_3_bulkOperationsWithInvalidDataOnExistingResourcesAre400() {
        JsonPath response = UserFixtures.scim(token).body(fixture("bulk-invalid-writes.json", Map.of("user",
                own.get("Users"), "group", own.get("Groups"), "role", own.get("Roles"))))
                .when().post("/scim/v2/Bulk").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("400", "400", "400", "400", "400", "400"), response.getList("Operations.status"),
                response.prettify());
    }

    @Test
    void rfc7644_3_12_aBodyThatIsNotJsonIsInvalidSyntaxBeforeAnyResourceIsLookedAt() {
        assertScimError(send("PATCH", "/Users/" + UUID.randomUUID(), fixture("malformed.json")), 400, "invalidSyntax",
                "");
    }

    private static JsonPath get(String path) {
        return UserFixtures.scim(token).when().get("/scim/v2" + path).then().statusCode(200).extract().jsonPath();
    }
}
