package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/** {@code /admin/v1/access-keys}: create (token shown once), list, read, revoke; errors as RFC 9457 problems. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccessKeysEndpointTest {

    private static final String KEYS = "/admin/v1/access-keys";
    private static final String ISO_INSTANT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z";

    // --- Create -----------------------------------------------------------------------------------------------------

    @Test
    void createsAKeyAndReturnsItsTokenOnce() {
        JsonPath created = asOwner().body(fixture("create-okta.json"))
                .when().post(KEYS)
                .then().statusCode(201)
                .contentType(startsWith("application/json"))
                .header("Location", notNullValue())
                .body("id", notNullValue())
                .body("name", equalTo("okta"))
                .body("roles.size()", equalTo(1))
                .body("roles[0].id", notNullValue())
                .body("roles[0].value", equalTo("scim-client"))
                .body("roles[0].name", equalTo("SCIM Client"))
                .body("createdAt", matchesPattern(ISO_INSTANT))
                .body("token", notNullValue())
                .body("$", not(hasKey("expiresAt")))
                .body("$", not(hasKey("lastUsedAt")))
                .extract().jsonPath();
        String id = created.getString("id");
        UUID.fromString(id);
        Instant createdAt = Instant.parse(created.getString("createdAt"));
        assertFalse(createdAt.isAfter(Instant.now().plusSeconds(5)), "createdAt is now, not in the future");

        // The token works, and names the key.
        String token = created.getString("token");
        assertEquals(id, Tokens.claimsOf(token).get("sub"));
        given().auth().oauth2(token).when().get("/scim/v2/ServiceProviderConfig").then().statusCode(200);
    }

    @Test
    void locationHeaderPointsAtTheNewKey() {
        var response = asOwner().body(fixture("create-okta.json")).when().post(KEYS).then().statusCode(201).extract();
        String id = response.jsonPath().getString("id");
        String location = response.header("Location");
        org.hamcrest.MatcherAssert.assertThat(location, startsWith("http"));
        org.hamcrest.MatcherAssert.assertThat(location, endsWith(KEYS + "/" + id));
        asOwner().when().get(location).then().statusCode(200).body("id", equalTo(id));
    }

    @Test
    void acceptsARoleByItsValue() {
        asOwner().body(fixture("create-role-by-value.json")).when().post(KEYS)
                .then().statusCode(201).body("roles.value", equalTo(List.of("scim-client")));
    }

    @Test
    void acceptsARoleByItsNameInAnyCase() {
        asOwner().body(fixture("create-role-by-name-any-case.json")).when().post(KEYS)
                .then().statusCode(201).body("roles.value", equalTo(List.of("scim-client")));
    }

    @Test
    void acceptsARoleByItsId() {
        String roleId = asOwner().body(fixture("create-okta.json")).when().post(KEYS)
                .then().statusCode(201).extract().jsonPath().getString("roles[0].id");
        asOwner().body(Map.of("name", "okta-by-id", "roles", List.of(roleId))).when().post(KEYS)
                .then().statusCode(201)
                .body("roles.id", equalTo(List.of(roleId)))
                .body("roles.value", equalTo(List.of("scim-client")));
    }

    @Test
    void namingTheSameRoleTwiceGrantsItOnce() {
        asOwner().body(Map.of("name", "okta-twice", "roles", List.of("scim-client", "SCIM Client"))).when().post(KEYS)
                .then().statusCode(201).body("roles.value", equalTo(List.of("scim-client")));
    }

    @Test
    void acceptsAFutureExpiryAndShowsIt() {
        Instant expiresAt = Instant.parse("2099-01-01T00:00:00Z");
        asOwner().body(Map.of("name", "okta-expiring", "roles", List.of("SCIM Client"), "expiresAt", expiresAt.toString()))
                .when().post(KEYS)
                .then().statusCode(201)
                .body("expiresAt", equalTo("2099-01-01T00:00:00Z"));
    }

    @Test
    void acceptsANameOfExactly200Characters() {
        asOwner().body(Map.of("name", "n".repeat(200), "roles", List.of("SCIM Client"))).when().post(KEYS)
                .then().statusCode(201).body("name", equalTo("n".repeat(200)));
    }

    // --- Create: refusals -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} -> 400 naming ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "create-missing-name.json             | 'name' is required",
            "create-blank-name.json               | 'name' is required",
            "create-empty-roles.json              | 'roles' is empty",
            "create-missing-roles.json            | 'roles' is empty",
            "create-unknown-role.json             | 'Galactic Emperor' is not a role of this organization",
            "create-internal-role-visitor.json    | 'Visitor' is an internal role",
            "create-internal-role-chat-widget.json| 'chat-widget' is an internal role",
            "create-expires-in-the-past.json      | in the past",
            "create-unknown-field.json            | 'scopes'",
            "create-malformed.json                | not valid JSON",
            "create-roles-not-an-array.json       | 'roles'",
            "create-null-role.json                | 'roles' holds a null",
    })
    void refusesAnInvalidBodyWithA400Problem(String fixture, String detail) {
        assertProblem(asOwner().body(fixture(fixture)).when().post(KEYS).then(), 400, detail);
    }

    @Test
    void refusesANameLongerThan200Characters() {
        assertProblem(asOwner().body(Map.of("name", "n".repeat(201), "roles", List.of("SCIM Client")))
                .when().post(KEYS).then(), 400, "201 characters");
    }

    @Test
    void refusesAnEmptyBody() {
        assertProblem(asOwner().body("").when().post(KEYS).then(), 400, "JSON object");
    }

    @Test
    void refusesANonJsonContentTypeWith415() {
        assertProblem(given().auth().oauth2(Tokens.owner()).contentType("text/plain")
                .body("name=okta&roles=SCIM Client").when().post(KEYS).then(), 415, "application/json");
    }

    @Test
    void refusesAFormPostWith415() {
        assertProblem(given().auth().oauth2(Tokens.owner()).contentType("application/x-www-form-urlencoded")
                .formParam("name", "okta").when().post(KEYS).then(), 415, "application/json");
    }

    @Test
    void createsNothingWhenARoleIsRefused() {
        String name = "half-made-" + UUID.randomUUID();
        assertProblem(asOwner().body(Map.of("name", name, "roles", List.of("scim-client", "visitor"))).when().post(KEYS)
                .then(), 400, "internal");
        asOwner().when().get(KEYS).then().statusCode(200).body("items.name", not(hasItem(name)));
    }

    // --- List and read ----------------------------------------------------------------------------------------------

    @Test
    void listsKeysWithoutTheirTokens() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", "listed-" + UUID.randomUUID(), "roles", List.of("scim-client")));
        ValidatableResponse list = asOwner().when().get(KEYS)
                .then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("items.id", hasItem(key.id()))
                .body("items", everyItem(not(hasKey("token"))))
                .body("items", everyItem(hasKey("createdAt")))
                .body("items", everyItem(hasKey("roles")));
        JsonPath json = list.extract().jsonPath();
        assertEquals(json.getList("items").size(), json.getInt("totalResults"));
        String body = list.extract().asString();
        assertFalse(body.contains(key.token()), "the list never repeats a token");
        assertFalse(body.contains("\"token\""), "no token field anywhere: " + body);
        assertFalse(body.contains("tokenId"), "no token id either");
        list.body("items.find { it.id == '" + key.id() + "' }.roles[0].value", equalTo("scim-client"));
    }

    @Test
    void listShowsLastUsedAtOnceTheKeyIsUsed() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", "used-" + UUID.randomUUID(), "roles", List.of("scim-client")));
        String item = "items.find { it.id == '" + key.id() + "' }";
        asOwner().when().get(KEYS).then().statusCode(200).body(item + ".lastUsedAt", nullValue());

        Instant before = Instant.now().minusSeconds(1);
        given().auth().oauth2(key.token()).when().get("/scim/v2/ServiceProviderConfig").then().statusCode(200);

        String lastUsedAt = asOwner().when().get(KEYS).then().statusCode(200)
                .body(item + ".lastUsedAt", matchesPattern(ISO_INSTANT))
                .extract().jsonPath().getString(item + ".lastUsedAt");
        assertFalse(Instant.parse(lastUsedAt).isBefore(before), lastUsedAt);
        asOwner().when().get(KEYS + "/" + key.id()).then().statusCode(200).body("lastUsedAt", equalTo(lastUsedAt));
    }

    @Test
    void readsOneKeyWithoutItsToken() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", "read-me", "roles", List.of("scim-client", "inbox-agent")));
        String body = asOwner().when().get(KEYS + "/" + key.id())
                .then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("id", equalTo(key.id()))
                .body("name", equalTo("read-me"))
                .body("roles.value", org.hamcrest.Matchers.containsInAnyOrder("scim-client", "inbox-agent"))
                .body("roles.name", org.hamcrest.Matchers.containsInAnyOrder("SCIM Client", "Inbox Agent"))
                .body("createdAt", matchesPattern(ISO_INSTANT))
                .body("$", not(hasKey("token")))
                .extract().asString();
        assertFalse(body.contains(key.token()));
    }

    @Test
    void returns404ProblemForAnUnknownId() {
        String id = UUID.randomUUID().toString();
        assertProblem(asOwner().when().get(KEYS + "/" + id).then(), 404, id);
        assertProblem(asOwner().when().delete(KEYS + "/" + id).then(), 404, id);
    }

    @Test
    void returns404ProblemForAnIdThatIsNotAUuid() {
        assertProblem(asOwner().when().get(KEYS + "/not-a-uuid").then(), 404, "not-a-uuid");
        assertProblem(asOwner().when().delete(KEYS + "/not-a-uuid").then(), 404, "not-a-uuid");
    }

    // --- Revoke -----------------------------------------------------------------------------------------------------

    @Test
    void revokesAKeyWhichThenIsGone() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", "revoked-" + UUID.randomUUID(), "roles", List.of("scim-client")));

        asOwner().when().delete(KEYS + "/" + key.id()).then().statusCode(204).body(equalTo(""));

        assertProblem(asOwner().when().get(KEYS + "/" + key.id()).then(), 404, key.id());
        asOwner().when().get(KEYS).then().statusCode(200).body("items.id", not(hasItem(key.id())));
        assertProblem(asOwner().when().delete(KEYS + "/" + key.id()).then(), 404, key.id());
    }

    @Test
    void refusesToRevokeTheKeyMakingTheRequestWith409() {
        String secondOwner = Tokens.withRoles("organization-owner");
        String id = (String) Tokens.claimsOf(secondOwner).get("sub");

        assertProblem(given().auth().oauth2(secondOwner).when().delete(KEYS + "/" + id).then(), 409, id);

        given().auth().oauth2(secondOwner).when().get(KEYS + "/" + id).then().statusCode(200);
    }

    // --- Who may call -----------------------------------------------------------------------------------------------

    @Test
    void scimClientKeyMayNotListKeys() {
        assertProblem(given().auth().oauth2(Tokens.scimClient()).when().get(KEYS).then(), 403, "access-keys:read");
    }

    @Test
    void scimClientKeyMayNotReadAKey() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", "other", "roles", List.of("scim-client")));
        assertProblem(given().auth().oauth2(Tokens.scimClient()).when().get(KEYS + "/" + key.id()).then(), 403,
                "access-keys:read");
    }

    @Test
    void scimClientKeyMayNotCreateKeys() {
        assertProblem(given().auth().oauth2(Tokens.scimClient()).contentType("application/json")
                .body(fixture("create-okta.json")).when().post(KEYS).then(), 403, "access-keys:manage");
    }

    @Test
    void scimClientKeyMayNotRevokeKeys() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", "victim", "roles", List.of("scim-client")));
        assertProblem(given().auth().oauth2(Tokens.scimClient()).when().delete(KEYS + "/" + key.id()).then(), 403,
                "access-keys:manage");
        given().auth().oauth2(key.token()).when().get("/scim/v2/ServiceProviderConfig").then().statusCode(200);
    }

    @Test
    void returns401ProblemWithBearerChallengeWithoutAToken() {
        assertProblem(given().when().get(KEYS).then(), 401, "Bearer")
                .header("WWW-Authenticate", startsWith("Bearer"));
        assertProblem(given().contentType("application/json").body(fixture("create-okta.json")).when().post(KEYS).then(),
                401, "Bearer")
                .header("WWW-Authenticate", startsWith("Bearer"));
        assertProblem(given().when().delete(KEYS + "/" + UUID.randomUUID()).then(), 401, "Bearer")
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static RequestSpecification asOwner() {
        return given().auth().oauth2(Tokens.owner()).contentType("application/json");
    }

    private static String fixture(String name) {
        try (InputStream in = AccessKeysEndpointTest.class.getResourceAsStream("/fixtures/admin/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
