package io.rollcall.admin;

import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.bindings;
import static io.rollcall.support.AdminFixtures.createUser;
import static io.rollcall.support.AdminFixtures.fixture;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * {@code /admin/v1/settings}: the fallback role (rule 1) and whether an IdP may grant Organization Owner (rule 6). The
 * tests share the organization with every other test class, so each puts the defaults back.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SettingsEndpointTest {

    private static final String SETTINGS = "/admin/v1/settings";
    private static final Map<String, Object> DEFAULTS = Map.of("fallbackRole", "knowledge-base-user",
            "ownerAssignableOverScim", false);

    @AfterEach
    void restoreTheDefaults() {
        asOwner().body(DEFAULTS).when().put(SETTINGS).then().statusCode(200);
    }

    @Test
    void readsTheDefaults() {
        asOwner().when().get(SETTINGS).then().statusCode(200)
                .body("fallbackRole", equalTo("knowledge-base-user"))
                .body("ownerAssignableOverScim", equalTo(false));
    }

    @Test
    void storesTheFallbackRoleByValueWhenNamedByName() {
        asOwner().body(Map.of("fallbackRole", "Chatbots (view only)", "ownerAssignableOverScim", true))
                .when().put(SETTINGS).then().statusCode(200)
                .body("fallbackRole", equalTo("chatbots-view-only"))
                .body("ownerAssignableOverScim", equalTo(true));
        asOwner().when().get(SETTINGS).then().statusCode(200)
                .body("fallbackRole", equalTo("chatbots-view-only"))
                .body("ownerAssignableOverScim", equalTo(true));
    }

    @Test
    void acceptsTheFallbackRoleById() {
        User user = createUser();
        String roleId = asOwner().when().get("/admin/v1/users/" + user.id() + "/roles").then().extract().jsonPath()
                .getString("items[0].role.id");
        asOwner().body(Map.of("fallbackRole", roleId, "ownerAssignableOverScim", false)).when().put(SETTINGS)
                .then().statusCode(200).body("fallbackRole", equalTo("knowledge-base-user"));
    }

    @Test
    void usersHoldingTheOldFallbackRoleGetTheNewOne() {
        User fallbackOnly = createUser();
        User withRole = createUser();
        bind("users", withRole.id(), "inbox-agent", null);

        asOwner().body(Map.of("fallbackRole", "chatbots-view-only", "ownerAssignableOverScim", false))
                .when().put(SETTINGS).then().statusCode(200);

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
        assertProblem(asOwner().body(Map.of("fallbackRole", role, "ownerAssignableOverScim", false)).when().put(SETTINGS)
                .then(), 400, detail);
        asOwner().when().get(SETTINGS).then().body("fallbackRole", equalTo("knowledge-base-user"));
    }

    @ParameterizedTest(name = "{0} -> 400 naming ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "settings/replace-missing-owner-flag.json  | 'ownerAssignableOverScim' is required",
            "settings/replace-missing-fallback.json    | 'fallbackRole' is required",
            "settings/replace-unknown-field.json       | 'sessionTimeout'",
            "settings/replace-flag-not-a-boolean.json  | 'ownerAssignableOverScim'",
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
        assertProblem(as(accountAdmin).body(Map.of("fallbackRole", "inbox-agent", "ownerAssignableOverScim", true))
                .when().put(SETTINGS).then(), 403, "organization:manage");
        asOwner().when().get(SETTINGS).then().body("ownerAssignableOverScim", equalTo(false));
    }
}
