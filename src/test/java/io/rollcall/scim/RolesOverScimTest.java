package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertScimError;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * Roles over SCIM: the /Roles resource (discovery, filters, counts, members, custom roles, duplication) and a user's
 * {@code roles} as role bindings in the shapes Okta and Entra ID send, under the access rules.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RolesOverScimTest {

    private static final String ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";
    private static final String SCIM = "application/scim+json";

    private static String scimOnly;
    private static String scimOwner;

    /** A SCIM Client key, as an identity provider holds: it assigns the roles the organization delegates to it. */
    private static synchronized String scimOnly() {
        if (scimOnly == null) {
            scimOnly = Tokens.scimClient();
        }
        return scimOnly;
    }

    /** A SCIM Client key that also holds Organization Owner: it may grant any role but Organization Owner itself. */
    private static synchronized String scimOwner() {
        if (scimOwner == null) {
            scimOwner = Tokens.withRoles("scim-client", "organization-owner");
        }
        return scimOwner;
    }

    private static ValidatableResponse post(String token, String path, Object body) {
        return given().auth().oauth2(token).contentType(SCIM).body(body).when().post("/scim/v2" + path).then();
    }

    private static ValidatableResponse patch(String token, String path, Object body) {
        return given().auth().oauth2(token).contentType(SCIM).body(body).when().patch("/scim/v2" + path).then();
    }

    private static JsonPath getJson(String token, String path) {
        return given().auth().oauth2(token).when().get("/scim/v2" + path).then().statusCode(200).extract().jsonPath();
    }

    private static String newUser(String token, Object roles) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", "u-" + UUID.randomUUID() + "@acme.com"));
        if (roles != null) {
            body.put("roles", roles);
        }
        return post(token, "/Users", body).statusCode(201).extract().path("id");
    }

    private static String roleId(String value) {
        return getJson(scimOnly(), "/Roles?filter=" + ACCESS + ":value eq \"" + value + "\"").getString("Resources[0].id");
    }

    private static List<String> roleValues(String token, String userId) {
        return getJson(token, "/Users/" + userId).getList("roles.value");
    }

    @Test
    void rolesAreListedWithoutInternalOnesAndWithCounts() {
        JsonPath list = getJson(scimOnly(), "/Roles?count=100");
        List<String> values = list.getList("Resources.'" + ACCESS + "'.value");
        assertTrue(values.containsAll(List.of("organization-owner", "workspace-owner", "inbox-agent", "scim-client",
                "campaign-manager", "knowledge-base-user")), values.toString());
        assertTrue(values.stream().noneMatch(v -> v.equals("visitor") || v.equals("chat-widget")), values.toString());
        JsonPath campaign = getJson(scimOnly(), "/Roles/" + roleId("campaign-manager"));
        assertEquals("Campaign manager", campaign.getString("displayName"));
        assertEquals(11, campaign.getInt("'" + ACCESS + "'.counts.permissions"));
        assertEquals(1, campaign.getInt("'" + ACCESS + "'.counts.scopes"));
        assertEquals("managed", campaign.getString("'" + ACCESS + "'.type"));
    }

    @Test
    void discoveryListsTheRoleResourceTypeAndItsSchemas() {
        given().auth().oauth2(scimOnly()).when().get("/scim/v2/ResourceTypes/Role").then().statusCode(200)
                .body("endpoint", equalTo("/Roles")).body("schema", equalTo("urn:okta:scim:schemas:core:1.0:Role"));
        given().auth().oauth2(scimOnly()).when().get("/scim/v2/Schemas/" + ACCESS).then().statusCode(200);
        given().auth().oauth2(scimOnly()).when().get("/scim/v2/Schemas/urn:okta:scim:schemas:core:1.0:Role").then()
                .statusCode(200);
    }

    @Test
    void internalRolesAreNotFoundById() {
        // the internal roles exist but are invisible: filter for them finds nothing
        JsonPath found = getJson(scimOnly(), "/Roles?filter=" + ACCESS + ":value eq \"visitor\"");
        assertEquals(0, found.getInt("totalResults"));
    }

    @Test
    void rolesFilterAndSortByDisplayName() {
        JsonPath found = getJson(scimOnly(), "/Roles?filter=displayName sw \"campaign\" and " + ACCESS + ":type eq \"managed\"&sortBy=displayName");
        assertEquals(List.of("Campaign approval manager", "Campaign content creator", "Campaign manager"),
                found.getList("Resources.displayName"));
    }

    @Test
    void aUserCreatedWithoutRolesGetsTheFallbackRole() {
        String user = newUser(scimOnly(), null);
        JsonPath read = getJson(scimOnly(), "/Users/" + user);
        assertEquals(List.of("knowledge-base-user"), read.getList("roles.value"));
        assertEquals(List.of("system"), read.getList("roles.type"));
    }

    @Test
    void oktaPlainStringRolesBecomeScimBindingsAndReplaceTheFallback() {
        String user = newUser(scimOwner(), List.of("campaign-manager", "Inbox Agent"));
        JsonPath read = getJson(scimOwner(), "/Users/" + user);
        assertEquals(List.of("campaign-manager", "inbox-agent"), read.getList("roles.value"));
        assertEquals(List.of("scim", "scim"), read.getList("roles.type"));
    }

    @Test
    void entraStringifiedAppRoleValuesAreUnderstood() {
        String user = newUser(scimOwner(), null);
        patch(scimOwner(), "/Users/" + user, Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                "Operations", List.of(Map.of("op", "Add", "path", "roles", "value", List.of(Map.of("value",
                        "{\"id\":\"06b07648-ecfe-589f-9d2f-6325724a46ee\",\"value\":\"finance-manager\","
                                + "\"displayName\":\"Finance manager\"}"))))))
                .statusCode(200);
        assertEquals(List.of("finance-manager"), roleValues(scimOwner(), user));
    }

    @Test
    void entraComplexAppRoleObjectsAreUnderstood() {
        String user = newUser(scimOwner(), List.of(Map.of("primary", "True", "type", "WindowsAzureActiveDirectoryRole",
                "value", "content-manager")));
        assertEquals(List.of("content-manager"), roleValues(scimOwner(), user));
    }

    @Test
    void anUnknownRoleIsRefusedByName() {
        assertScimError(post(scimOwner(), "/Users", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "userName", "x-" + UUID.randomUUID(), "roles", List.of("galactic-emperor"))), 400, "invalidValue",
                "galactic-emperor");
    }

    @Test
    void internalRolesAreNeverBound() {
        assertScimError(post(scimOwner(), "/Users", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "userName", "x-" + UUID.randomUUID(), "roles", List.of("visitor"))), 400, "invalidValue", "internal");
    }

    @Test
    void scimClientBindsOnlyToAccessKeys() {
        assertScimError(post(scimOwner(), "/Users", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "userName", "x-" + UUID.randomUUID(), "roles", List.of("scim-client"))), 400, "invalidValue",
                "access keys");
    }

    @Test
    void organizationOwnerIsNotAssignableOverScimByDefault() {
        assertScimError(post(scimOwner(), "/Users", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "userName", "x-" + UUID.randomUUID(), "roles", List.of("organization-owner"))), 403, null,
                "scimAssignableRoles");
    }

    @Test
    void aScimClientOnlyKeyAssignsWhatTheOrganizationDelegatesNotWhatItHolds() {
        String user = newUser(scimOnly(), List.of("campaign-manager"));
        assertEquals(List.of("campaign-manager"), roleValues(scimOnly(), user));
    }

    @Test
    void aPutWithoutRolesLeavesThemAloneAndAnEmptyListClearsThemToTheFallback() {
        String user = newUser(scimOwner(), List.of("campaign-manager"));
        JsonPath read = getJson(scimOwner(), "/Users/" + user);
        given().auth().oauth2(scimOwner()).contentType(SCIM).body(Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", read.getString("userName"),
                "displayName", "Renamed")).when().put("/scim/v2/Users/" + user).then().statusCode(200)
                .body("roles.value", equalTo(List.of("campaign-manager")));
        given().auth().oauth2(scimOwner()).contentType(SCIM).body(Map.of("schemas",
                List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", read.getString("userName"),
                "roles", List.of())).when().put("/scim/v2/Users/" + user).then().statusCode(200)
                .body("roles.value", equalTo(List.of("knowledge-base-user")));
    }

    @Test
    void aPatchRemovingARoleByFilterKeepsTheOthers() {
        String user = newUser(scimOwner(), List.of("campaign-manager", "content-manager"));
        patch(scimOwner(), "/Users/" + user, Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                "Operations", List.of(Map.of("op", "remove", "path", "roles[value eq \"content-manager\"]"))))
                .statusCode(200).body("roles.value", equalTo(List.of("campaign-manager")));
    }

    @Test
    void aWorkspaceScopedRoleIsNamedWithAt() {
        assertScimError(post(scimOwner(), "/Users", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                "userName", "x-" + UUID.randomUUID(), "roles", List.of("campaign-manager@nowhere"))), 400, "invalidValue",
                "nowhere");
    }

    @Test
    void roleMembersAreAddedAndRemovedWithPatch() {
        String user = newUser(scimOwner(), null);
        String role = roleId("analyze-manager");
        patch(scimOwner(), "/Roles/" + role, Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                "Operations", List.of(Map.of("op", "add", "path", "members", "value", List.of(Map.of("value", user))))))
                .statusCode(200);
        JsonPath withMembers = getJson(scimOwner(), "/Roles/" + role + "?attributes=" + ACCESS + ":members");
        assertTrue(withMembers.getList("'" + ACCESS + "'.members.value").contains(user));
        assertEquals(List.of("analyze-manager"), roleValues(scimOwner(), user));
        patch(scimOwner(), "/Roles/" + role, Map.of("schemas", List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                "Operations", List.of(Map.of("op", "remove", "path", "members[value eq \"" + user + "\"]"))))
                .statusCode(200);
        assertEquals(List.of("knowledge-base-user"), roleValues(scimOwner(), user));
    }

    @Test
    void membersAreReturnedOnlyOnRequest() {
        Map<String, Object> access = getJson(scimOnly(), "/Roles/" + roleId("knowledge-base-user"))
                .getMap("'" + ACCESS + "'");
        assertTrue(!access.containsKey("members") && !access.containsKey("permissions"), access.keySet().toString());
    }

    @Test
    void customRolesNeedRolesManage() {
        assertScimError(post(scimOnly(), "/Roles", Map.of("schemas", List.of("urn:okta:scim:schemas:core:1.0:Role", ACCESS),
                "displayName", "Nope " + UUID.randomUUID())), 403, null, "roles:manage");
    }

    @Test
    void aCustomRoleIsCreatedFromPermissionsDuplicatedAndDeleted() {
        String name = "Campaign viewer " + UUID.randomUUID().toString().substring(0, 8);
        JsonPath created = post(scimOwner(), "/Roles?attributes=displayName," + ACCESS + ":permissions," + ACCESS + ":value",
                Map.of("schemas", List.of("urn:okta:scim:schemas:core:1.0:Role", ACCESS), "displayName", name,
                        ACCESS, Map.of("permissions", List.of("campaigns:read", "templates:read"))))
                .statusCode(201).extract().jsonPath();
        assertEquals(List.of("campaigns:read", "templates:read"), created.getList("'" + ACCESS + "'.permissions"));
        String id = created.getString("id");
        JsonPath copy = post(scimOwner(), "/Roles?attributes=" + ACCESS + ":permissions", Map.of("schemas",
                List.of("urn:okta:scim:schemas:core:1.0:Role", ACCESS), "displayName", name + " copy",
                ACCESS, Map.of("copyFrom", id))).statusCode(201).extract().jsonPath();
        assertEquals(List.of("campaigns:read", "templates:read"), copy.getList("'" + ACCESS + "'.permissions"));
        given().auth().oauth2(scimOwner()).when().delete("/scim/v2/Roles/" + copy.getString("id")).then().statusCode(204);
        given().auth().oauth2(scimOwner()).when().get("/scim/v2/Roles/" + copy.getString("id")).then().statusCode(404);
    }

    @Test
    void aCustomRoleCannotGrantScimProvision() {
        assertScimError(post(scimOwner(), "/Roles", Map.of("schemas", List.of("urn:okta:scim:schemas:core:1.0:Role", ACCESS),
                "displayName", "Sneaky " + UUID.randomUUID(), ACCESS, Map.of("permissions", List.of("scim:provision")))),
                400, "invalidValue", "SCIM Client");
    }

    @Test
    void rfc7644_3_3_aRoleCreatedWithAMemberThatIsRefusedIsNotCreated() {
        String name = "Atomic " + UUID.randomUUID();
        String nobody = UUID.randomUUID().toString();
        assertScimError(post(scimOwner(), "/Roles", Map.of("schemas", List.of("urn:okta:scim:schemas:core:1.0:Role", ACCESS),
                "displayName", name, ACCESS, Map.of("permissions", List.of("reports:read"),
                        "members", List.of(Map.of("value", nobody))))), 400, "invalidValue", nobody);
        assertEquals(0, getJson(scimOwner(), "/Roles?filter=displayName eq \"" + name + "\"").getInt("totalResults"),
                "the role was created although its member was refused");
    }

    @Test
    void rfc7644_3_5_2_aRolePatchWhoseMemberChangeFailsKeepsTheDefinitionItHad() {
        String role = post(scimOwner(), "/Roles", Map.of("schemas", List.of("urn:okta:scim:schemas:core:1.0:Role", ACCESS),
                "displayName", "Kept " + UUID.randomUUID(), "description", "before", ACCESS,
                Map.of("permissions", List.of("reports:read")))).statusCode(201).extract().path("id");
        String nobody = UUID.randomUUID().toString();
        assertScimError(patch(scimOwner(), "/Roles/" + role, Map.of("schemas",
                List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"), "Operations", List.of(
                        Map.of("op", "replace", "path", "description", "value", "after"),
                        Map.of("op", "add", "path", "members", "value", List.of(Map.of("value", nobody)))))), 400,
                "invalidValue", nobody);
        assertEquals("before", getJson(scimOwner(), "/Roles/" + role).getString("description"));
    }

    @Test
    void rfc7644_3_12_aRoleNameTooLongForItsIndexIsInvalidValueNotA500() {
        // incompressible, so that PostgreSQL cannot fit it into an index entry (54000): no validation catches it first
        java.util.Random random = new java.util.Random(7);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        String prefix = "Long " + UUID.randomUUID();
        StringBuilder name = new StringBuilder(prefix + " ");
        while (name.length() < 6000) {
            name.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        assertScimError(post(scimOwner(), "/Roles", Map.of("schemas", List.of("urn:okta:scim:schemas:core:1.0:Role", ACCESS),
                "displayName", name.toString(), ACCESS, Map.of("value", "long-" + UUID.randomUUID(),
                        "permissions", List.of("reports:read")))),
                400, "invalidValue", "too long").body("detail", containsString("nothing was changed"));
        assertEquals(0, getJson(scimOwner(), "/Roles?filter=displayName sw \"" + prefix + "\"").getInt("totalResults"));
    }

    @Test
    void managedRolesChangeOnlyInMembership() {
        String role = roleId("content-manager");
        assertScimError(patch(scimOwner(), "/Roles/" + role, Map.of("schemas",
                List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"), "Operations",
                List.of(Map.of("op", "replace", "path", "displayName", "value", "Mine now")))), 400, "mutability",
                "managed");
        assertScimError(given().auth().oauth2(scimOwner()).when().delete("/scim/v2/Roles/" + role).then(), 400,
                "mutability", "managed");
    }

    @Test
    void deletingTheOnlyRoleOfAUserIsRefused() {
        String name = "Solo " + UUID.randomUUID().toString().substring(0, 8);
        String role = post(scimOwner(), "/Roles", Map.of("schemas", List.of("urn:okta:scim:schemas:core:1.0:Role", ACCESS),
                "displayName", name, ACCESS, Map.of("permissions", List.of("reports:read")))).statusCode(201)
                .extract().path("id");
        String value = getJson(scimOwner(), "/Roles/" + role).getString("'" + ACCESS + "'.value");
        String user = newUser(scimOwner(), List.of(value));
        assertEquals(List.of(value), roleValues(scimOwner(), user));
        var response = given().auth().oauth2(scimOwner()).when().delete("/scim/v2/Roles/" + role).then();
        assertScimError(response, 409, null, "without any");
        assertEquals(List.of(value), roleValues(scimOwner(), user));
    }

    @Test
    void rolesHonourProjectionAndRefuseBadFilters() {
        JsonPath roles = getJson(scimOnly(), "/Roles?attributes=displayName&count=2");
        assertEquals(2, roles.getList("Resources").size());
        roles.getList("Resources", Map.class).forEach(r -> assertEquals(java.util.Set.of("id", "schemas", "displayName"),
                r.keySet()));
        assertScimError(given().auth().oauth2(scimOnly()).when().get("/scim/v2/Roles?filter=bogus eq 1").then(), 400,
                "invalidFilter", "bogus");
    }

    @Test
    void aRoleGivenToAGroupReachesItsMembersAndReplacesTheirFallback() {
        String user = newUser(scimOwner(), null);
        String group = post(scimOwner(), "/Groups", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"),
                "displayName", "Content " + UUID.randomUUID(), "members", List.of(Map.of("value", user))))
                .statusCode(201).extract().path("id");
        patch(scimOwner(), "/Roles/" + roleId("content-manager"), Map.of("schemas",
                List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"), "Operations",
                List.of(Map.of("op", "add", "path", "members", "value", List.of(Map.of("value", group, "type", "Group"))))))
                .statusCode(200);
        String userAccess = "urn:rollcall:scim:schemas:extension:access:2.0:User";
        JsonPath read = getJson(scimOwner(), "/Users/" + user + "?attributes=roles," + userAccess);
        assertEquals(List.of("content-manager"), read.getList("'" + userAccess + "'.effectiveRoles.value"));
        assertEquals(List.of(group), read.getList("'" + userAccess + "'.effectiveRoles.via"));
        List<String> atOrganization = read.getList("'" + userAccess + "'.effectivePermissions.find { it.workspace == '*' }"
                + ".permissions");
        assertEquals(List.of("templates:read", "templates:manage"), atOrganization);
        // the group's role replaced the fallback: no direct role left
        assertEquals(null, read.getList("roles"));
    }
    // --- Filters on a role's members (its direct bindings), run in SQL ---------------------------------------------

    private static List<String> valuesOfRolesMatching(String filter) {
        JsonPath found = given().auth().oauth2(scimOnly()).queryParam("filter", filter).queryParam("count", 100)
                .when().get("/scim/v2/Roles").then().statusCode(200).extract().jsonPath();
        List<String> values = found.getList("Resources.'" + ACCESS + "'.value");
        assertEquals(found.getInt("totalResults"), values.size(), "one page holds them all");
        return values.stream().sorted().toList();
    }

    @Test
    void theRolesAUserIsBoundToAreFoundByMembersValueInEveryForm() {
        String user = newUser(scimOwner(), List.of("campaign-manager", "content-manager"));
        List<String> expected = List.of("campaign-manager", "content-manager");
        assertEquals(expected, valuesOfRolesMatching(ACCESS + ":members.value eq \"" + user + "\""));
        assertEquals(expected, valuesOfRolesMatching("members.value eq \"" + user + "\""));
        assertEquals(expected, valuesOfRolesMatching("members[value eq \"" + user + "\"]"));
        assertEquals(expected, valuesOfRolesMatching(ACCESS + ":members[value eq \"" + user + "\"]"));
        assertEquals(expected, valuesOfRolesMatching("members eq \"" + user + "\""));
        assertEquals(List.of("campaign-manager"), valuesOfRolesMatching("members.value eq \"" + user
                + "\" and displayName sw \"campaign\""));
    }

    @Test
    void aMembersFilterFindsTheFallbackBindingAndOnlyTheUsersOwnRoles() {
        String user = newUser(scimOnly(), null);
        assertEquals(List.of("knowledge-base-user"), valuesOfRolesMatching("members.value eq \"" + user + "\""));
        assertEquals(List.of("knowledge-base-user"), valuesOfRolesMatching("members[value eq \"" + user
                + "\" and source eq \"system\"]"));
        assertEquals(List.of(), valuesOfRolesMatching("members[value eq \"" + user + "\" and source eq \"scim\"]"));
        assertEquals(List.of(), valuesOfRolesMatching("members.value eq \"" + UUID.randomUUID() + "\""));
        assertEquals(List.of(), valuesOfRolesMatching("members.value eq \"not-an-id\""));
        List<String> others = valuesOfRolesMatching("not (members.value eq \"" + user + "\")");
        assertTrue(!others.contains("knowledge-base-user") && others.contains("campaign-manager"), others.toString());
    }

    @Test
    void theRolesAGroupIsBoundToAreFoundByMembersValueAndType() {
        String group = post(scimOwner(), "/Groups", Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:Group"),
                "displayName", "Filtered " + UUID.randomUUID())).statusCode(201).extract().path("id");
        patch(scimOwner(), "/Roles/" + roleId("analyze-manager"), Map.of("schemas",
                List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"), "Operations",
                List.of(Map.of("op", "add", "path", "members", "value", List.of(Map.of("value", group, "type", "Group"))))))
                .statusCode(200);
        assertEquals(List.of("analyze-manager"), valuesOfRolesMatching("members.value eq \"" + group + "\""));
        assertEquals(List.of("analyze-manager"), valuesOfRolesMatching("members[value eq \"" + group
                + "\" and type eq \"Group\"]"));
        assertEquals(List.of(), valuesOfRolesMatching("members[value eq \"" + group + "\" and type eq \"User\"]"));
        assertTrue(valuesOfRolesMatching(ACCESS + ":members.type eq \"group\"").contains("analyze-manager"));
        assertTrue(valuesOfRolesMatching("members.type eq \"AccessKey\"").contains("scim-client"));
    }

    @Test
    void aFilterOnAMemberSubAttributeThatIsNotStoredAsAColumnIsRefusedByName() {
        for (String filter : List.of("members.display eq \"ana\"", ACCESS + ":members[workspace eq \"EU\"]")) {
            var response = given().auth().oauth2(scimOnly()).queryParam("filter", filter).when().get("/scim/v2/Roles")
                    .then();
            assertScimError(response, 400, "invalidFilter", "is not supported");
            String detail = response.extract().path("detail");
            String named = filter.contains("display") ? "members.display" : "members.workspace";
            assertTrue(detail.contains(named) && detail.contains("members.value"), detail);
        }
        assertScimError(given().auth().oauth2(scimOnly()).queryParam("filter", "members.nickname eq \"x\"").when()
                .get("/scim/v2/Roles").then(), 400, "invalidFilter", "members.nickname");
    }
    @Test
    void aRolesVersionCoversItsDefinitionAndNotItsMembers() {
        String role = post(scimOwner(), "/Roles", Map.of("schemas", List.of("urn:okta:scim:schemas:core:1.0:Role", ACCESS),
                "displayName", "Versioned " + UUID.randomUUID().toString().substring(0, 8),
                ACCESS, Map.of("permissions", List.of("reports:read")))).statusCode(201).extract().path("id");
        String etag = given().auth().oauth2(scimOwner()).when().get("/scim/v2/Roles/" + role).then().statusCode(200)
                .extract().header("ETag");
        String user = newUser(scimOwner(), null);
        String afterMembers = patch(scimOwner(), "/Roles/" + role, Map.of("schemas",
                List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"), "Operations",
                List.of(Map.of("op", "add", "path", "members", "value", List.of(Map.of("value", user))))))
                .statusCode(200).extract().header("ETag");
        assertEquals(etag, afterMembers, "a membership change leaves the role's version as it is");
        given().auth().oauth2(scimOwner()).header("If-None-Match", etag).when().get("/scim/v2/Roles/" + role).then()
                .statusCode(304);
        String afterDefinition = patch(scimOwner(), "/Roles/" + role, Map.of("schemas",
                List.of("urn:ietf:params:scim:api:messages:2.0:PatchOp"), "Operations",
                List.of(Map.of("op", "replace", "path", "description", "value", "Reads reports"))))
                .statusCode(200).extract().header("ETag");
        assertTrue(!etag.equals(afterDefinition), etag + " → " + afterDefinition);
    }
}
