package io.rollcall.scim;

import static io.rollcall.support.ScimErrors.assertScimError;
import static io.rollcall.support.UserFixtures.CORE;
import static io.rollcall.support.UserFixtures.ENTERPRISE;
import static io.rollcall.support.UserFixtures.USERS;
import static io.rollcall.support.UserFixtures.create;
import static io.rollcall.support.UserFixtures.fixture;
import static io.rollcall.support.UserFixtures.get;
import static io.rollcall.support.UserFixtures.scim;
import static io.rollcall.support.UserFixtures.tree;
import static io.rollcall.support.UserFixtures.version;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * Creating, reading, replacing and deleting Users: RFC 7644 §3.3 (POST), §3.4.1 (GET by id), §3.5.1 (PUT), §3.6
 * (DELETE) and §3.14 (versions, ETag, If-Match, If-None-Match), against the User schema of RFC 7643 §4.1 and its
 * enterprise extension (§4.3), with the attribute characteristics of RFC 7643 §2 and §7 (mutability, returned,
 * uniqueness, canonical values, case-insensitive names).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UsersCrudTest {

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    private static String userName(String who) {
        return who + "-" + UserFixtures.token() + "@example.com";
    }

    private static Map<String, String> named(String userName) {
        return Map.of("userName", userName);
    }

    // --- POST (RFC 7644 §3.3) -----------------------------------------------------------------------------------------

    @Test
    void rfc7644_3_3_createAnswers201WithLocationEtagIdSchemasAndMeta() {
        String userName = userName("bjensen");
        String externalId = UUID.randomUUID().toString();
        Instant before = Instant.now().minusSeconds(5);
        Response response = scim(token()).body(fixture("create-full.json", Map.of("userName", userName,
                "externalId", externalId)))
                .when().post(USERS);
        response.then().statusCode(201).contentType(startsWith("application/scim+json"));
        JsonNode user = tree(response);

        String id = user.path("id").asText();
        assertEquals(id, UUID.fromString(id).toString(), "id is a server-assigned uuid");
        assertEquals(userName, user.path("userName").asText());
        assertEquals(externalId, user.path("externalId").asText());
        assertTrue(user.path("schemas").isArray());
        assertTrue(contains(user.path("schemas"), CORE), "schemas lists the core schema: " + user.path("schemas"));
        assertTrue(contains(user.path("schemas"), ENTERPRISE), "schemas lists the extension in use: " + user.path("schemas"));

        JsonNode meta = user.path("meta");
        assertEquals("User", meta.path("resourceType").asText());
        Instant created = Instant.parse(meta.path("created").asText());
        Instant lastModified = Instant.parse(meta.path("lastModified").asText());
        assertTrue(created.isAfter(before), "meta.created is now-ish: " + created);
        assertEquals(created, lastModified, "a new resource was last modified when it was created");
        assertTrue(meta.path("location").asText().endsWith("/scim/v2/Users/" + id), meta.toString());
        assertTrue(meta.path("location").asText().startsWith("http"), "meta.location is absolute: " + meta);

        // RFC 7644 §3.3: Location is the resource's URI, the same as meta.location; §3.14: ETag is meta.version
        assertEquals(meta.path("location").asText(), response.header("Location"));
        assertEquals(meta.path("version").asText(), response.header("ETag"));
        version(response.header("ETag"));
        assertTrue(user.path("active").asBoolean(), "active as sent");
        assertEquals("Barbara", user.path("name").path("givenName").asText());
        assertEquals(2, user.path("emails").size());
    }

    @Test
    void rfc7643_4_3_enterpriseExtensionRoundTrips() {
        ObjectNode created = create(token(), "create-full.json", Map.of("userName", userName("ext"),
                "externalId", UUID.randomUUID().toString()));
        for (JsonNode user : List.of(created, get(token(), created.path("id").asText()))) {
            JsonNode enterprise = user.path(ENTERPRISE);
            assertTrue(enterprise.isObject(), "the extension is returned under its URN: " + user);
            assertEquals("701984", enterprise.path("employeeNumber").asText());
            assertEquals("4130", enterprise.path("costCenter").asText());
            assertEquals("Universal Studios", enterprise.path("organization").asText());
            assertEquals("Theme Park", enterprise.path("division").asText());
            assertEquals("Tour Operations", enterprise.path("department").asText());
            assertEquals("26118915-6090-4610-87e4-49d8ca9f808d", enterprise.path("manager").path("value").asText());
        }
    }

    @Test
    void rfc7643_4_1_passwordIsAcceptedButNeverReturned() {
        String userName = userName("secret");
        Response created = scim(token()).body(fixture("create-full.json", Map.of("userName", userName,
                "externalId", UUID.randomUUID().toString()))).when().post(USERS);
        created.then().statusCode(201);
        String id = tree(created).path("id").asText();
        assertNoPassword(created.asString());

        Response read = scim(token()).when().get(USERS + "/" + id);
        read.then().statusCode(200);
        assertNoPassword(read.asString());

        Response listed = scim(token()).queryParam("filter", "userName eq \"" + userName + "\"").when().get(USERS);
        listed.then().statusCode(200).body("totalResults", equalTo(1));
        assertNoPassword(listed.asString());

        // Asking for it by name does not reveal it either (returned: never, RFC 7643 §7)
        Response asked = scim(token()).queryParam("attributes", "password,userName").when().get(USERS + "/" + id);
        asked.then().statusCode(200).body("userName", equalTo(userName));
        assertNoPassword(asked.asString());
    }

    private static void assertNoPassword(String body) {
        assertFalse(body.toLowerCase(Locale.ROOT).contains("password"), "no password attribute in " + body);
        assertFalse(body.contains("t1meMa$heen"), "the password value never comes back: " + body);
    }

    @Test
    void rfc7644_3_5_1_readOnlyValuesSentByTheClientAreIgnored() {
        String userName = userName("readonly");
        Response response = scim(token()).body(fixture("create-with-read-only-values.json", named(userName)))
                .when().post(USERS);
        response.then().statusCode(201);
        JsonNode user = tree(response);
        assertNotEquals("client-chosen-id", user.path("id").asText());
        UUID.fromString(user.path("id").asText());
        assertEquals("User", user.path("meta").path("resourceType").asText());
        assertNotEquals("2001-01-01T00:00:00Z", user.path("meta").path("created").asText());
        assertFalse(user.path("meta").path("location").asText().contains("elsewhere"));
        assertNotEquals("W/\"999\"", user.path("meta").path("version").asText());
        assertTrue(user.path("groups").isMissingNode() || user.path("groups").isEmpty(),
                "groups are computed by the server, never taken from the client: " + user);

        JsonNode read = get(token(), user.path("id").asText());
        assertTrue(read.path("groups").isMissingNode() || read.path("groups").isEmpty(), read.toString());
    }

    @Test
    void rfc7643_4_1_1_activeDefaultsToTrueWhenAbsent() {
        ObjectNode created = create(token(), "create-minimal.json", named(userName("minimal")));
        assertTrue(created.path("active").isBoolean(), created.toString());
        assertTrue(created.path("active").booleanValue());
        String id = created.path("id").asText();
        assertTrue(get(token(), id).path("active").booleanValue());
        // and filters see it the same way
        scim(token()).queryParam("filter", "id eq \"" + id + "\" and active eq true").when().get(USERS)
                .then().statusCode(200).body("totalResults", equalTo(1));
    }

    @Test
    void rfc7643_2_3_2_entraActiveStringTrueIsTheBooleanTrue() {
        ObjectNode created = create(token(), "create-entra-active-string.json", named(userName("entra")));
        assertTrue(created.path("active").isBoolean(), "stored and returned as a JSON boolean: " + created);
        assertTrue(created.path("active").booleanValue());
        assertFalse(created.has("Active"), "returned in the schema's spelling: " + created);
        assertTrue(get(token(), created.path("id").asText()).path("active").booleanValue());
    }

    @Test
    void rfc7643_2_1_attributeNamesAreCaseInsensitiveAndReturnedInSchemaSpelling() {
        String userName = userName("mixed");
        ObjectNode created = create(token(), "create-mixed-case-names.json", named(userName));
        for (JsonNode user : List.of(created, get(token(), created.path("id").asText()))) {
            assertEquals(userName, user.path("userName").asText(), user.toString());
            assertFalse(user.has("USERNAME"), user.toString());
            assertEquals("Mixed Case", user.path("displayName").asText());
            assertFalse(user.has("Name"), user.toString());
            assertEquals("Mixed", user.path("name").path("givenName").asText(), user.toString());
            assertEquals("Case", user.path("name").path("familyName").asText(), user.toString());
            assertEquals(List.of("familyName", "givenName"), sortedFieldNames(user.path("name")));
            JsonNode email = user.path("emails").path(0);
            assertEquals(userName, email.path("value").asText(), user.toString());
            assertEquals("work", email.path("type").asText(), "canonical value in its listed spelling");
            assertTrue(email.path("primary").booleanValue());
            assertEquals(List.of("primary", "type", "value"), sortedFieldNames(email));
            assertEquals("E-42", user.path(ENTERPRISE).path("employeeNumber").asText(), user.toString());
        }
        // The spelling does not matter to filters either
        scim(token()).queryParam("filter", "USERNAME eq \"" + userName.toUpperCase(Locale.ROOT) + "\"").when().get(USERS)
                .then().statusCode(200).body("totalResults", equalTo(1));
    }

    private static List<String> sortedFieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(null);
        return names;
    }

    // --- POST refusals (RFC 7644 §3.3, §3.12) -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidBodies")
    void rfc7644_3_12_invalidUserIsRefusedWithInvalidValue(String fixture, String detail) {
        String userName = userName("invalid");
        assertScimError(scim(token()).body(fixture(fixture, named(userName))).when().post(USERS).then(), 400,
                "invalidValue", detail);
        assertNotCreated(userName);
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("create-missing-user-name.json", "userName"),
                Arguments.of("create-unknown-attribute.json", "favouriteColour"),
                Arguments.of("create-active-maybe.json", "active"),
                Arguments.of("create-emails-not-an-array.json", "emails"),
                Arguments.of("create-name-a-string.json", "name"),
                Arguments.of("create-email-type-spaceship.json", "spaceship"),
                Arguments.of("create-two-primary-emails.json", "primary"));
    }

    @Test
    void rfc7644_3_3_bodyWithoutSchemasIsRefused() {
        String userName = userName("noschemas");
        Response response = scim(token()).body(fixture("create-missing-schemas.json", named(userName))).when().post(USERS);
        String scimType = tree(response).path("scimType").asText();
        assertScimError(response.then(), 400, scimType, "schemas")
                .body("scimType", anyOf(equalTo("invalidValue"), equalTo("invalidSyntax")))
                .body("detail", containsString(CORE));
        assertNotCreated(userName);
    }

    @Test
    void rfc7643_4_1_1_userNameDifferingOnlyInCaseIsAUniquenessConflict() {
        String userName = userName("dup");
        create(token(), "create-minimal.json", named(userName));
        String shouted = userName.toUpperCase(Locale.ROOT);
        assertScimError(scim(token()).body(fixture("create-minimal.json", named(shouted))).when().post(USERS).then(),
                409, "uniqueness", "userName");
        scim(token()).queryParam("filter", "userName eq \"" + userName + "\"").when().get(USERS)
                .then().statusCode(200).body("totalResults", equalTo(1));
    }

    private static void assertNotCreated(String userName) {
        scim(token()).queryParam("filter", "userName eq \"" + userName + "\"").when().get(USERS)
                .then().statusCode(200).body("totalResults", equalTo(0));
    }

    // --- GET by id (RFC 7644 §3.4.1, §3.14) ---------------------------------------------------------------------------

    @Test
    void rfc7644_3_4_1_getByIdReturnsTheUserWithItsEtag() {
        ObjectNode created = create(token(), "create-with-title.json", named(userName("reader")));
        String id = created.path("id").asText();
        Response response = scim(token()).when().get(USERS + "/" + id);
        response.then().statusCode(200).contentType(startsWith("application/scim+json"));
        JsonNode read = tree(response);
        assertEquals(created, read, "GET shows what POST answered");
        assertEquals(read.path("meta").path("version").asText(), response.header("ETag"));
        assertEquals(created.path("meta").path("location").asText(), response.header("Location"),
                "RFC 7644 §3.4.1: the answer to a GET carries the resource's Location");
    }

    @Test
    void rfc7644_3_4_1_unknownUuidIsNotFound() {
        String id = UUID.randomUUID().toString();
        assertScimError(scim(token()).when().get(USERS + "/" + id).then(), 404, null, id);
    }

    @Test
    void rfc7644_3_4_1_idThatIsNoUuidIsNotFound() {
        assertScimError(scim(token()).when().get(USERS + "/not-a-uuid").then(), 404, null, "not-a-uuid");
    }

    @Test
    void rfc7644_3_14_ifNoneMatchWithTheCurrentEtagIsNotModified() {
        Response created = scim(token()).body(fixture("create-minimal.json", named(userName("cached")))).when().post(USERS);
        String id = tree(created).path("id").asText();
        String etag = created.header("ETag");

        Response notModified = scim(token()).header("If-None-Match", etag).when().get(USERS + "/" + id);
        notModified.then().statusCode(304);
        assertEquals("", notModified.asString(), "a 304 has no body");
        assertEquals(List.of(etag), notModified.headers().getValues("ETag"), "one ETag header, the current version");

        // a list of tags naming the current one matches too (RFC 9110 §13.1.2)
        scim(token()).header("If-None-Match", "W/\"12345678\", " + etag).when().get(USERS + "/" + id)
                .then().statusCode(304);
    }

    @Test
    void rfc7644_3_14_ifNoneMatchWithAnotherEtagReturnsTheUser() {
        Response created = scim(token()).body(fixture("create-minimal.json", named(userName("stale")))).when().post(USERS);
        String id = tree(created).path("id").asText();
        long current = version(created.header("ETag"));
        Response response = scim(token()).header("If-None-Match", UserFixtures.etag(current + 7)).when().get(USERS + "/" + id);
        response.then().statusCode(200).body("id", equalTo(id));
        assertEquals(created.header("ETag"), response.header("ETag"));
    }

    // --- PUT (RFC 7644 §3.5.1, §3.14) ---------------------------------------------------------------------------------

    @Test
    void rfc7644_3_5_1_putReplacesTheWholeUserAndBumpsTheVersion() {
        String userName = userName("replaced");
        Response created = scim(token()).body(fixture("create-with-title.json", named(userName))).when().post(USERS);
        created.then().statusCode(201);
        JsonNode before = tree(created);
        String id = before.path("id").asText();
        long version = version(created.header("ETag"));
        assertEquals("Site Reliability Engineer", before.path("title").asText());

        Response replaced = scim(token()).header("If-Match", created.header("ETag"))
                .body(fixture("replace-without-title.json", named(userName))).when().put(USERS + "/" + id);
        replaced.then().statusCode(200);
        JsonNode after = tree(replaced);
        assertEquals(id, after.path("id").asText());
        assertFalse(after.has("title"), "attributes left out of a PUT are cleared: " + after);
        assertFalse(after.has("emails"), "attributes left out of a PUT are cleared: " + after);
        assertEquals("Kim Pau-Replaced", after.path("displayName").asText());
        assertEquals("Pau-Replaced", after.path("name").path("familyName").asText());
        assertTrue(after.path("active").booleanValue(), "active is still defaulted to true on replace");
        assertEquals(version + 1, version(replaced.header("ETag")));
        assertEquals(replaced.header("ETag"), after.path("meta").path("version").asText());
        assertEquals(before.path("meta").path("created").asText(), after.path("meta").path("created").asText(),
                "meta.created does not change");
        assertTrue(Instant.parse(after.path("meta").path("lastModified").asText())
                .isAfter(Instant.parse(before.path("meta").path("lastModified").asText())));

        JsonNode read = get(token(), id);
        assertEquals(after, read, "GET shows what PUT answered");
        // a filter on the cleared attribute no longer finds the user
        scim(token()).queryParam("filter", "id eq \"" + id + "\" and title pr").when().get(USERS)
                .then().statusCode(200).body("totalResults", equalTo(0));
    }

    @Test
    void rfc7644_3_14_putWithAStaleIfMatchIsPreconditionFailedAndChangesNothing() {
        String userName = userName("guarded");
        Response created = scim(token()).body(fixture("create-with-title.json", named(userName))).when().post(USERS);
        JsonNode before = tree(created);
        String id = before.path("id").asText();
        long version = version(created.header("ETag"));

        assertScimError(scim(token()).header("If-Match", UserFixtures.etag(version + 1))
                .body(fixture("replace-without-title.json", named(userName))).when().put(USERS + "/" + id).then(),
                412, null, UserFixtures.etag(version));

        JsonNode after = get(token(), id);
        assertEquals(before, after, "nothing changed");
        assertEquals("Site Reliability Engineer", after.path("title").asText());
    }

    @Test
    void rfc7644_3_5_1_putTakingAnotherUsersUserNameIsAUniquenessConflict() {
        String taken = userName("taken");
        create(token(), "create-minimal.json", named(taken));
        String userName = userName("mover");
        ObjectNode mover = create(token(), "create-with-title.json", named(userName));
        String id = mover.path("id").asText();

        assertScimError(scim(token()).body(fixture("replace-without-title.json", named(taken.toUpperCase(Locale.ROOT))))
                .when().put(USERS + "/" + id).then(), 409, "uniqueness", "userName");

        JsonNode after = get(token(), id);
        assertEquals(mover, after, "the refused replace changed nothing");
    }

    @Test
    void rfc7644_3_5_1_putOfAnUnknownUserIsNotFound() {
        String id = UUID.randomUUID().toString();
        assertScimError(scim(token()).body(fixture("create-minimal.json", named(userName("ghost"))))
                .when().put(USERS + "/" + id).then(), 404, null, id);
    }

    // --- DELETE (RFC 7644 §3.6, §3.14) --------------------------------------------------------------------------------

    @Test
    void rfc7644_3_6_deleteAnswers204AndTheUserIsGone() {
        String userName = userName("leaver");
        Response created = scim(token()).body(fixture("create-minimal.json", named(userName))).when().post(USERS);
        String id = tree(created).path("id").asText();

        Response deleted = scim(token()).header("If-Match", created.header("ETag")).when().delete(USERS + "/" + id);
        deleted.then().statusCode(204);
        assertEquals("", deleted.asString());

        assertScimError(scim(token()).when().get(USERS + "/" + id).then(), 404, null, id);
        assertScimError(scim(token()).when().delete(USERS + "/" + id).then(), 404, null, id);
        assertNotCreated(userName);
        // the userName is free again
        create(token(), "create-minimal.json", named(userName));
    }

    @Test
    void rfc7644_3_14_deleteWithAStaleIfMatchIsPreconditionFailed() {
        Response created = scim(token()).body(fixture("create-minimal.json", named(userName("keeper")))).when().post(USERS);
        String id = tree(created).path("id").asText();
        long version = version(created.header("ETag"));

        assertScimError(scim(token()).header("If-Match", UserFixtures.etag(version + 3)).when().delete(USERS + "/" + id)
                .then(), 412, null, UserFixtures.etag(version));
        assertEquals(tree(created), get(token(), id), "the user is still there, unchanged");
    }

    private static boolean contains(JsonNode array, String text) {
        for (JsonNode element : array) {
            if (element.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }
}
