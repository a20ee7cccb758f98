package io.rollcall.admin;

import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.bindings;
import static io.rollcall.support.AdminFixtures.createUser;
import static io.rollcall.support.AdminFixtures.fixture;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.AdminFixtures.User;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * {@code /admin/v1/settings}: the fallback role (rule 1) and the roles the identity provider may assign (rule 6b). The
 * tests share the organization with every other test class, so each puts the defaults back.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SettingsEndpointTest {

    private static final String SETTINGS = "/admin/v1/settings";
    private static final Map<String, Object> DEFAULTS = Map.of("fallbackRole", "knowledge-base-user");

    @AfterEach
    void restoreTheDefaults() {
        asOwner().body(DEFAULTS).when().put(SETTINGS).then().statusCode(200);
    }

    /** Every customer-visible role but Organization Owner and SCIM Client, by value. */
    private static List<String> defaultAssignable() {
        List<String> visible = asOwner().when().get("/admin/v1/roles").then().statusCode(200).extract().jsonPath()
                .getList("items.value");
        return visible.stream().filter(v -> !v.equals("organization-owner") && !v.equals("scim-client")).toList();
    }

    @Test
    void readsTheDefaults() {
        List<String> assignable = asOwner().when().get(SETTINGS).then().statusCode(200)
                .body("fallbackRole", equalTo("knowledge-base-user"))
                .extract().jsonPath().getList("scimAssignableRoles");
        assertEquals(new java.util.TreeSet<>(defaultAssignable()), new java.util.TreeSet<>(assignable));
        assertTrue(assignable.contains("campaign-manager") && !assignable.contains("organization-owner")
                && !assignable.contains("scim-client") && !assignable.contains("visitor"), assignable.toString());
    }

    @Test
    void aCustomRoleMadeLaterIsAssignableByDefault() {
        String value = asOwner().body(Map.of("name", unique("Later"), "permissions", List.of("reports:read")))
                .when().post("/admin/v1/roles").then().statusCode(201).extract().path("value");
        asOwner().when().get(SETTINGS).then().statusCode(200).body("scimAssignableRoles", hasItem(value));
    }

    @Test
    void storesTheFallbackRoleByValueAndTheAssignableRolesAsValuesWhenNamedOtherwise() {
        String managerId = asOwner().queryParam("search", "campaign manager").when().get("/admin/v1/roles").then()
                .extract().path("items.find { it.value == 'campaign-manager' }.id");
        asOwner().body(Map.of("fallbackRole", "Chatbots (view only)", "scimAssignableRoles",
                List.of("Inbox Agent", managerId, "organization-owner", "inbox-agent")))
                .when().put(SETTINGS).then().statusCode(200)
                .body("fallbackRole", equalTo("chatbots-view-only"))
                .body("scimAssignableRoles", equalTo(List.of("campaign-manager", "inbox-agent", "organization-owner")));
        asOwner().when().get(SETTINGS).then().statusCode(200)
                .body("fallbackRole", equalTo("chatbots-view-only"))
                .body("scimAssignableRoles", equalTo(List.of("campaign-manager", "inbox-agent", "organization-owner")));
    }

    @Test
    void aPutWithoutTheListPutsBackTheDefault() {
        asOwner().body(Map.of("fallbackRole", "knowledge-base-user", "scimAssignableRoles", List.of("inbox-agent")))
                .when().put(SETTINGS).then().statusCode(200).body("scimAssignableRoles", equalTo(List.of("inbox-agent")));
        List<String> after = asOwner().body(DEFAULTS).when().put(SETTINGS).then().statusCode(200).extract().jsonPath()
                .getList("scimAssignableRoles");
        assertEquals(new java.util.TreeSet<>(defaultAssignable()), new java.util.TreeSet<>(after));
    }

    @Test
    void whatAGetAnswersSentBackKeepsTheDefaultADefault() {
        Map<String, Object> read = asOwner().when().get(SETTINGS).then().statusCode(200)
                .body("scimAssignableRolesDefault", equalTo(true)).extract().jsonPath().getMap("");
        asOwner().body(read).when().put(SETTINGS).then().statusCode(200)
                .body("scimAssignableRolesDefault", equalTo(true));
        String later = asOwner().body(Map.of("name", unique("After"), "permissions", List.of("reports:read")))
                .when().post("/admin/v1/roles").then().statusCode(201).extract().path("value");
        asOwner().when().get(SETTINGS).then().body("scimAssignableRoles", hasItem(later));
        asOwner().body(Map.of("fallbackRole", "knowledge-base-user", "scimAssignableRoles", List.of("inbox-agent")))
                .when().put(SETTINGS).then().statusCode(200).body("scimAssignableRolesDefault", equalTo(false));
    }

    @Test
    void acceptsTheFallbackRoleById() {
        String roleId = asOwner().queryParam("search", "inbox agent").when().get("/admin/v1/roles").then()
                .extract().path("items.find { it.value == 'inbox-agent' }.id");
        asOwner().body(Map.of("fallbackRole", roleId)).when().put(SETTINGS)
                .then().statusCode(200).body("fallbackRole", equalTo("inbox-agent"));
        asOwner().when().get(SETTINGS).then().body("fallbackRole", equalTo("inbox-agent"));
    }

    @Test
    void usersHoldingTheOldFallbackRoleGetTheNewOne() {
        User fallbackOnly = createUser();
        User withRole = createUser();
        bind("users", withRole.id(), "inbox-agent", null);

        asOwner().body(Map.of("fallbackRole", "chatbots-view-only")).when().put(SETTINGS).then().statusCode(200);

        assertEquals(List.of("chatbots-view-only system"), bindings("users", fallbackOnly.id()));
        assertEquals(List.of("inbox-agent local"), bindings("users", withRole.id()));
        assertEquals(List.of("chatbots-view-only system"), bindings("users", createUser().id()),
                "a new user gets the new fallback role");
    }

    @ParameterizedTest(name = "fallbackRole {0} -> 400 saying ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "Galactic Emperor   | not a role of this organization",
            "visitor            | internal role",
            "chat-widget        | internal role",
            "scim-client        | SCIM Client",
            "SCIM Client        | SCIM Client",
            "organization-owner | Organization Owner",
    })
    void refusesAFallbackRoleThatIsNotAssignableToEveryone(String role, String detail) {
        assertProblem(asOwner().body(Map.of("fallbackRole", role)).when().put(SETTINGS).then(), 400, detail);
        asOwner().when().get(SETTINGS).then().body("fallbackRole", equalTo("knowledge-base-user"));
    }

    @ParameterizedTest(name = "scimAssignableRoles [{0}] -> 400 saying ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "Galactic Emperor | 'Galactic Emperor' in 'scimAssignableRoles' is not a role",
            "visitor          | internal roles are never assignable",
            "chat-widget      | internal roles are never assignable",
            "scim-client      | cannot list SCIM Client",
            "\"   \"         | null or blank",
    })
    void refusesAnAssignableRoleThatCannotBeListed(String role, String detail) {
        assertProblem(asOwner().body(Map.of("fallbackRole", "knowledge-base-user", "scimAssignableRoles",
                List.of("inbox-agent", role))).when().put(SETTINGS).then(), 400, detail);
        assertEquals(new java.util.TreeSet<>(defaultAssignable()), new java.util.TreeSet<>(asOwner().when()
                .get(SETTINGS).then().extract().jsonPath().getList("scimAssignableRoles")), "nothing changed");
    }

    @ParameterizedTest(name = "{0} -> 400 naming ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "settings/replace-missing-fallback.json     | 'fallbackRole' is required",
            "settings/replace-unknown-field.json        | 'sessionTimeout'",
            "settings/replace-retired-owner-flag.json   | 'ownerAssignableOverScim'",
            "settings/replace-roles-not-a-list.json     | 'scimAssignableRoles'",
    })
    void refusesAnIncompleteOrMalformedBodyWith400(String fixture, String detail) {
        assertProblem(asOwner().body(fixture(fixture)).when().put(SETTINGS).then(), 400, detail);
    }

    @Test
    void aCallerWithoutOrganizationReadMayNotReadThemWith403() {
        assertProblem(as(Tokens.withRoles("analyze-manager")).when().get(SETTINGS).then(), 403, "organization:read");
    }

    @Test
    void aReaderMayNotChangeThemWith403NamingOrganizationManage() {
        String accountAdmin = Tokens.withRoles("account-admin");
        as(accountAdmin).when().get(SETTINGS).then().statusCode(200);
        assertProblem(as(accountAdmin).body(Map.of("fallbackRole", "inbox-agent", "scimAssignableRoles",
                List.of("organization-owner"))).when().put(SETTINGS).then(), 403, "organization:manage");
        asOwner().when().get(SETTINGS).then().body("fallbackRole", equalTo("knowledge-base-user"))
                .body("scimAssignableRoles", not(hasItem("organization-owner")));
    }

    /** Rule 6: letting the IdP assign a role delegates that grant, so the caller must hold what the role grants. */
    @Test
    void aManagerMayNotLetTheIdentityProviderAssignWhatItDoesNotHold() {
        String manager = asOwner().body(Map.of("name", unique("Settings manager"), "permissions",
                List.of("organization:read", "organization:manage", "knowledge-base:read"))).when()
                .post("/admin/v1/roles").then().statusCode(201).extract().path("id");
        String token = Tokens.withRoles(manager);
        assertProblem(as(token).body(Map.of("fallbackRole", "knowledge-base-user", "scimAssignableRoles",
                List.of("knowledge-base-user", "organization-owner"))).when().put(SETTINGS).then(), 403,
                "Letting the identity provider assign 'Organization Owner'");
        asOwner().when().get(SETTINGS).then().body("scimAssignableRoles", not(hasItem("organization-owner")));
        // narrowing the list grants nothing
        as(token).body(Map.of("fallbackRole", "knowledge-base-user", "scimAssignableRoles",
                List.of("knowledge-base-user"))).when().put(SETTINGS).then().statusCode(200)
                .body("scimAssignableRoles", equalTo(List.of("knowledge-base-user")));
        // and putting back the default re-delegates roles it does not hold
        assertProblem(as(token).body(DEFAULTS).when().put(SETTINGS).then(), 403, "Letting the identity provider");
    }
}
