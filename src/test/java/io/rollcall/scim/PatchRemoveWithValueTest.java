package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.scim.WriteFixtures.fixture;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * RFC 7644 §3.5.2.2: a {@code remove} names its target by {@code path} and takes no {@code value}. Rollcall accepts a
 * value only as a member list on {@code members} (Entra ID removes members so); a value anywhere else is 400
 * {@code invalidValue} — §3.12: "the value specified was not compatible with the operation" (not {@code noTarget}: the
 * path does name an attribute; not {@code invalidPath}: the path is fine) — with a detail naming the attribute and what
 * to send instead, and the resource is left as it was: the same {@code meta.version} and the same representation.
 * Before, the SDK refused it without a {@code scimType} ("has a value, but an invalid path").
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PatchRemoveWithValueTest {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.withRoles("scim-client", "organization-owner");
        }
        return token;
    }

    private static String user() {
        return UserFixtures.create(token(), "create-patch-base.json",
                Map.of("userName", "remove-value-" + UUID.randomUUID() + "@example.com")).path("id").asText();
    }

    private static JsonPath get(String path) {
        return given().auth().oauth2(token()).when().get("/scim/v2" + path).then().statusCode(200).extract().jsonPath();
    }

    private static ValidatableResponse patch(String path, String body) {
        return UserFixtures.scim(token()).body(body).when().patch("/scim/v2" + path).then();
    }

    /** The patch is refused as invalidValue naming the attribute, and the resource is as it was, version included. */
    private static void assertRefusedAndUnchanged(String path, String body, String named) {
        JsonPath before = get(path);
        assertScimError(patch(path, body), 400, "invalidValue", "remove takes no \"value\"")
                .body("detail", org.hamcrest.Matchers.containsString("'" + named + "'"));
        JsonPath after = get(path);
        assertEquals(before.getString("meta.version"), after.getString("meta.version"));
        assertEquals(before.getMap(""), after.getMap(""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "title|\"Site Reliability Engineer\"|title",
            "title|\"Something Else\"|title",
            "active|false|active",
            "name.givenName|\"Kim\"|name.givenName",
            "emails[type eq \\\"work\\\"].value|\"x@example.com\"|emails.value",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber|\"7\"|" + ENTERPRISE
                    + ":employeeNumber" })
    void rfc7644_3_5_2_2_removeWithAValueOnASingleValuedUserAttributeIsInvalidValueAndChangesNothing(String path,
            String value, String named) {
        // the value equal to the stored one too: remove's value is not a condition, it has no meaning at all
        assertRefusedAndUnchanged("/Users/" + user(), fixture("patch-remove-with-value.json",
                Map.of("path", path, "value", value)), named);
    }

    @Test
    void rfc7644_3_5_2_2_removeWithAValueOnAMultiValuedAttributeAsksForAFilter() {
        String body = fixture("patch-remove-with-value.json", Map.of("path", "emails",
                "value", "[{\"value\": \"x@example.com\"}]"));
        assertRefusedAndUnchanged("/Users/" + user(), body, "emails");
        assertScimError(patch("/Users/" + user(), body), 400, "invalidValue", "emails[value eq");
    }

    @Test
    void rfc7644_3_5_2_anOperationBeforeTheRefusedRemoveIsNotKept() {
        assertRefusedAndUnchanged("/Users/" + user(), fixture("patch-replace-then-remove-with-value.json"), "title");
    }

    @Test
    void rfc7644_3_5_2_2_removeWithAValueOnAGroupsDisplayNameIsInvalidValueAndChangesNothing() {
        String group = GroupsFixtures.createGroup(token(), GroupsFixtures.unique("remove-value"));
        assertRefusedAndUnchanged("/Groups/" + group, fixture("patch-remove-with-value.json",
                Map.of("path", "displayName", "value", "\"x\"")), "displayName");
    }

    @Test
    void rfc7644_3_5_2_2_removeOfGroupMembersWithAValueListStillRemovesThem() {
        String member = GroupsFixtures.createUser(token(), GroupsFixtures.unique("member") + "@example.com");
        String group = GroupsFixtures.createGroup(token(), GroupsFixtures.unique("remove-members"), member);
        patch("/Groups/" + group, fixture("patch-remove-with-value.json", Map.of("path", "members",
                "value", "[{\"value\": \"" + member + "\"}]"))).statusCode(204);
        assertEquals(java.util.Set.of(), GroupsFixtures.memberIds(token(), group));
    }

    @Test
    void rfc7644_3_5_2_2_removeWithAValueOnARolesDescriptionIsInvalidValueAndChangesNothing() {
        String role = UserFixtures.scim(token()).body(Map.of("schemas", List.of("urn:okta:scim:schemas:core:1.0:Role",
                        "urn:rollcall:scim:schemas:extension:access:2.0:Role"), "displayName", GroupsFixtures.unique("Remove value"),
                        "description", "kept", "urn:rollcall:scim:schemas:extension:access:2.0:Role",
                        Map.of("permissions", List.of("reports:read"))))
                .when().post("/scim/v2/Roles").then().statusCode(201).extract().path("id");
        assertRefusedAndUnchanged("/Roles/" + role, fixture("patch-remove-with-value.json",
                Map.of("path", "description", "value", "\"kept\"")), "description");
    }
}
