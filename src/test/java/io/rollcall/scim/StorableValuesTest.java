package io.rollcall.scim;

import static io.rollcall.scim.GroupsFixtures.GROUPS;
import static io.rollcall.scim.GroupsFixtures.getGroup;
import static io.rollcall.scim.GroupsFixtures.values;
import static io.rollcall.support.ScimErrors.assertScimError;
import static io.rollcall.support.UserFixtures.USERS;
import static io.rollcall.support.UserFixtures.create;
import static io.rollcall.support.UserFixtures.fixture;
import static io.rollcall.support.UserFixtures.get;
import static io.rollcall.support.UserFixtures.tree;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.scim.GroupsFixtures.RawJson;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * String values PostgreSQL cannot keep are refused before they reach it, on POST, PUT and PATCH of Users and Groups:
 * a NUL character (RFC 7643 §2.3.1 strings are Unicode, but neither a text column nor jsonb holds U+0000), and a value
 * of an indexed attribute (userName, displayName, externalId, emails.value) longer than 512 characters, which no index
 * entry could hold; and more than 1,000 values of one multi-valued attribute kept in the document. Each is a 400
 * invalidValue naming the attribute (RFC 7644 §3.12) and changes nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class StorableValuesTest {

    private static final int MAX = 512;

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    // --- NUL characters ---------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{1}")
    @MethodSource("usersWithANul")
    void rfc7643_2_3_1_userPostWithANulCharacterIsInvalidValueNamingTheAttributeAndCreatesNothing(String fixture,
            String attribute) {
        String userName = userName("nul");
        assertScimError(scim().body(fixture(fixture, Map.of("userName", userName))).when().post(USERS).then(), 400,
                "invalidValue", "'" + attribute + "' contains a NUL character");
        assertNoUser("userName sw \"" + userName + "\"");
    }

    static Stream<Arguments> usersWithANul() {
        return Stream.of(Arguments.of("create-nul-in-user-name.json", "userName"),
                Arguments.of("create-nul-in-title.json", "title"));
    }

    @Test
    void rfc7643_2_3_1_userPutWithANulCharacterIsInvalidValueAndChangesNothing() {
        String userName = userName("nulput");
        ObjectNode before = create(token(), "create-with-title.json", Map.of("userName", userName));
        assertScimError(scim().body(fixture("create-nul-in-title.json", Map.of("userName", userName)))
                .when().put(USERS + "/" + id(before)).then(), 400, "invalidValue", "'title' contains a NUL character");
        assertEquals(before, get(token(), id(before)));
    }

    @Test
    void rfc7643_2_3_1_userPatchWithANulCharacterIsInvalidValueAndChangesNothing() {
        ObjectNode before = create(token(), "create-with-title.json", Map.of("userName", userName("nulpatch")));
        assertScimError(scim().body(fixture("patch-nul-in-title.json")).when().patch(USERS + "/" + id(before)).then(),
                400, "invalidValue", "'title' contains a NUL character");
        assertEquals(before, get(token(), id(before)));
    }

    @Test
    void rfc7643_2_3_1_groupPostWithANulCharacterIsInvalidValueAndCreatesNothing() {
        String externalId = GroupsFixtures.unique("nul");
        assertScimError(scim().body(GroupsFixtures.fixture("create-nul-in-display-name.json",
                values("displayName", "Site Reliability", "externalId", externalId))).when().post(GROUPS).then(), 400,
                "invalidValue", "'displayName' contains a NUL character");
        assertNoGroup(externalId);
    }

    @Test
    void rfc7643_2_3_1_groupPutWithANulCharacterIsInvalidValueAndChangesNothing() {
        String id = group("nulput");
        String before = getGroup(token(), id).prettify();
        assertScimError(scim().body(GroupsFixtures.fixture("create-nul-in-display-name.json",
                values("displayName", "Renamed", "externalId", "ext"))).when().put(GROUPS + "/" + id).then(), 400,
                "invalidValue", "'displayName' contains a NUL character");
        assertEquals(before, getGroup(token(), id).prettify());
    }

    @Test
    void rfc7643_2_3_1_groupPatchWithANulCharacterIsInvalidValueAndChangesNothing() {
        String id = group("nulpatch");
        String before = getGroup(token(), id).prettify();
        assertScimError(scim().body(GroupsFixtures.fixture("patch-nul-in-display-name.json", Map.of()))
                .when().patch(GROUPS + "/" + id).then(), 400, "invalidValue", "'displayName' contains a NUL character");
        assertEquals(before, getGroup(token(), id).prettify());
    }

    // --- indexed values longer than 512 characters ------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "userName", "displayName", "externalId", "email" })
    void rfc7644_3_12_userPostWithAnIndexedValueOver512CharactersIsInvalidValueAndCreatesNothing(String attribute) {
        Map<String, String> values = userValues(userName("long"));
        String kept = values.get("userName");
        values.put(attribute, "a".repeat(MAX + 1));
        assertScimError(scim().body(fixture("create-indexed-values.json", values)).when().post(USERS).then(), 400,
                "invalidValue", "'" + (attribute.equals("email") ? "emails.value" : attribute) + "' has 513 characters; "
                        + "it may have at most 512");
        assertNoUser(attribute.equals("userName") ? "externalId eq \"" + values.get("externalId") + "\""
                : "userName eq \"" + kept + "\"");
    }

    @Test
    void rfc7644_3_3_indexedUserValuesOf512FourByteCharactersAreStoredAndIndexed() {
        String prefix = UserFixtures.token();
        String widest = prefix + widest(MAX - prefix.length());
        Map<String, String> values = Map.of("userName", widest, "displayName", widest, "externalId", widest,
                "email", widest);
        Response created = scim().body(fixture("create-indexed-values.json", values)).when().post(USERS);
        created.then().statusCode(201);
        JsonNode user = get(token(), id(tree(created)));
        for (String value : List.of(user.path("userName").asText(), user.path("displayName").asText(),
                user.path("externalId").asText(), user.path("emails").path(0).path("value").asText())) {
            assertEquals(MAX, value.codePointCount(0, value.length()));
        }
    }

    @Test
    void rfc7644_3_5_1_userPutWithAnIndexedValueOver512CharactersIsInvalidValueAndChangesNothing() {
        String userName = userName("longput");
        Map<String, String> values = userValues(userName);
        ObjectNode before = create(token(), "create-indexed-values.json", values);
        values.put("displayName", "a".repeat(MAX + 1));
        assertScimError(scim().body(fixture("create-indexed-values.json", values))
                .when().put(USERS + "/" + id(before)).then(), 400, "invalidValue",
                "'displayName' has 513 characters; it may have at most 512");
        assertEquals(before, get(token(), id(before)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("longUserPatches")
    void rfc7644_3_5_2_userPatchWithAnIndexedValueOver512CharactersIsInvalidValueAndChangesNothing(String path,
            String attribute) {
        ObjectNode before = create(token(), "create-indexed-values.json", userValues(userName("longpatch")));
        assertScimError(scim().body(fixture("patch-replace-string.json",
                Map.of("path", path, "value", "a".repeat(MAX + 1)))).when().patch(USERS + "/" + id(before)).then(),
                400, "invalidValue", "'" + attribute + "' has 513 characters; it may have at most 512");
        assertEquals(before, get(token(), id(before)));
    }

    static Stream<Arguments> longUserPatches() {
        return Stream.of(Arguments.of("userName", "userName"), Arguments.of("externalId", "externalId"),
                Arguments.of("emails[type eq \\\"work\\\"].value", "emails.value"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "displayName", "externalId" })
    void rfc7644_3_12_groupPostWithAnIndexedValueOver512CharactersIsInvalidValueAndCreatesNothing(String attribute) {
        String externalId = GroupsFixtures.unique("long");
        Map<String, Object> values = values("displayName", "Long", "externalId", externalId, "members", new RawJson("[]"));
        values.put(attribute, "a".repeat(MAX + 1));
        assertScimError(scim().body(GroupsFixtures.fixture("create.json", values)).when().post(GROUPS).then(), 400,
                "invalidValue", "'" + attribute + "' has 513 characters; it may have at most 512");
        assertNoGroup(externalId);
    }

    @Test
    void rfc7644_3_3_groupDisplayNameOf512FourByteCharactersIsStoredAndIndexed() {
        String widest = "\"" + widest(MAX) + "\"";
        String id = scim().body(GroupsFixtures.fixture("create.json", values("displayName", new RawJson(widest),
                "externalId", GroupsFixtures.unique("widest"), "members", new RawJson("[]"))))
                .when().post(GROUPS).then().statusCode(201).extract().path("id");
        String displayName = getGroup(token(), id).getString("displayName");
        assertEquals(MAX, displayName.codePointCount(0, displayName.length()));
    }

    @Test
    void rfc7644_3_5_1_groupPutWithAnIndexedValueOver512CharactersIsInvalidValueAndChangesNothing() {
        String id = group("longput");
        String before = getGroup(token(), id).prettify();
        assertScimError(scim().body(GroupsFixtures.fixture("create.json", values("displayName", "a".repeat(MAX + 1),
                "externalId", "ext", "members", new RawJson("[]")))).when().put(GROUPS + "/" + id).then(), 400,
                "invalidValue", "'displayName' has 513 characters; it may have at most 512");
        assertEquals(before, getGroup(token(), id).prettify());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("longGroupPatches")
    void rfc7644_3_5_2_groupPatchWithAnIndexedValueOver512CharactersIsInvalidValueAndChangesNothing(String fixture,
            String attribute) {
        String id = group("longpatch");
        String before = getGroup(token(), id).prettify();
        assertScimError(scim().body(GroupsFixtures.fixture(fixture, Map.of(attribute, "a".repeat(MAX + 1))))
                .when().patch(GROUPS + "/" + id).then(), 400, "invalidValue",
                "'" + attribute + "' has 513 characters; it may have at most 512");
        assertEquals(before, getGroup(token(), id).prettify());
    }

    static Stream<Arguments> longGroupPatches() {
        return Stream.of(Arguments.of("patch-replace-display-name-entra.json", "displayName"),
                Arguments.of("patch-replace-external-id.json", "externalId"));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static io.restassured.specification.RequestSpecification scim() {
        return UserFixtures.scim(token());
    }

    /**
     * {@code count} random characters outside the Basic Multilingual Plane, as JSON escapes: four bytes each in UTF-8
     * (the widest a character gets), and random so that PostgreSQL cannot compress them into a smaller index entry.
     */
    private static String widest(int count) {
        java.util.Random random = new java.util.Random();
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int codePoint = 0x10000 + random.nextInt(0xFFFFD - 0x10000);
            for (char unit : Character.toChars(codePoint)) {
                escaped.append(String.format("\\u%04x", (int) unit));
            }
        }
        return escaped.toString();
    }

    // --- unpaired surrogates ------------------------------------------------------------------------------------------

    @Test
    void rfc7643_2_3_1_aGroupNameWithAnUnpairedSurrogateIsInvalidValueAndCreatesNothing() {
        // stored, such a group could not be written back: every read of it failed with a 500
        String externalId = GroupsFixtures.unique("surrogate");
        assertScimError(scim().body(GroupsFixtures.fixture("create-surrogate-in-display-name.json",
                values("displayName", "Site Reliability", "externalId", externalId))).when().post(GROUPS).then(), 400,
                "invalidValue", "'displayName' contains an unpaired UTF-16 surrogate (\\ud800)");
        assertNoGroup(externalId);
    }

    @Test
    void rfc7643_2_3_1_aUserValueWithAnUnpairedSurrogateIsInvalidValue() {
        String userName = userName("surrogate");
        assertScimError(scim().body(fixture("create-surrogate-in-title.json", Map.of("userName", userName))).when()
                .post(USERS).then(), 400, "invalidValue", "'title' contains an unpaired UTF-16 surrogate (\\udc00)");
        assertNoUser("userName eq \"" + userName + "\"");
    }

    // --- values per multi-valued attribute ----------------------------------------------------------------------------

    @Test
    void rfc7643_2_4_aUserWithMoreThan1000ValuesOfOneAttributeIsInvalidValueAndNotCreated() {
        String userName = userName("emails");
        scim().body(fixture("create-with-emails.json", Map.of("userName", userName, "emails", emails(userName, 1_000))))
                .when().post(USERS).then().statusCode(201);
        String refused = userName("emails-over");
        assertScimError(scim().body(fixture("create-with-emails.json", Map.of("userName", refused,
                "emails", emails(refused, 1_001)))).when().post(USERS).then(), 400, "invalidValue",
                "'emails' has 1001 values; at most 1000 are accepted");
        assertNoUser("userName eq \"" + refused + "\"");
    }

    private static String emails(String userName, int count) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"value\":\"").append(i).append('.').append(userName).append("\"}");
        }
        return json.append(']').toString();
    }

    private static String userName(String who) {
        return who + "-" + UserFixtures.token() + "@example.com";
    }

    private static Map<String, String> userValues(String userName) {
        Map<String, String> values = new HashMap<>();
        values.put("userName", userName);
        values.put("displayName", "Kim Pau");
        values.put("externalId", GroupsFixtures.unique("ext"));
        values.put("email", userName);
        return values;
    }

    private static String id(JsonNode resource) {
        return resource.path("id").asText();
    }

    private static String group(String prefix) {
        return GroupsFixtures.createGroup(token(), GroupsFixtures.unique(prefix), List.of());
    }

    private static void assertNoUser(String filter) {
        scim().queryParam("filter", filter).when().get(USERS).then().statusCode(200).body("totalResults", equalTo(0));
    }

    private static void assertNoGroup(String externalId) {
        scim().queryParam("filter", "externalId eq \"" + externalId + "\"").when().get(GROUPS)
                .then().statusCode(200).body("totalResults", equalTo(0));
    }
}
