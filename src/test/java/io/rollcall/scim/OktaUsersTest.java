package io.rollcall.scim;

import static io.rollcall.support.UserFixtures.USERS;
import static io.rollcall.support.UserFixtures.fixture;
import static io.rollcall.support.UserFixtures.scim;
import static io.rollcall.support.UserFixtures.tree;
import static io.rollcall.support.UserFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.support.AccessRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * The user requests Okta sends (developer.okta.com, "SCIM 2.0 protocol reference"): a create with an empty
 * {@code groups} and a password, and profile updates as a full-object PUT that echoes {@code id}, {@code meta} and
 * {@code groups: []} back and may carry a synchronised password. Read-only values in them are ignored (RFC 7643 §2.2),
 * so the PUT neither moves {@code meta.created} nor drops the user from its groups.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OktaUsersTest {

    @Test
    void rfc7644_3_3_oktaCreateUserIsCreatedWithItsPasswordHashedAndNotReturned() {
        String token = Tokens.scimClient();
        String userName = unique("okta") + "@okta.example";
        Response created = scim(token).body(fixture("create-okta.json", Map.of("userName", userName,
                "externalId", "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17)))).when().post(USERS);
        created.then().statusCode(201);
        JsonNode user = tree(created);

        assertEquals(userName, user.path("userName").asText());
        assertEquals("Test", user.path("name").path("givenName").asText());
        assertEquals("work", user.path("emails").path(0).path("type").asText());
        assertTrue(user.path("emails").path(0).path("primary").asBoolean());
        assertTrue(user.path("active").asBoolean());
        assertTrue(user.path("groups").isMissingNode() || user.path("groups").isEmpty(), "no group from a create");
        assertFalse(created.asString().contains("1mz050nq"), "password never returned");
        String hash = AccessRows.strings("SELECT password_hash FROM users WHERE id = CAST(? AS uuid)",
                user.path("id").asText()).get(0);
        assertTrue(hash.startsWith("$2"), "stored as a bcrypt hash, not as sent: " + hash.substring(0, 4));
        assertFalse(hash.contains("1mz050nq"));
    }

    @Test
    void rfc7644_3_5_1_oktaFullObjectPutUpdatesTheProfileAndIgnoresWhatIsReadOnly() {
        String token = Tokens.scimClient();
        String userName = unique("okta") + "@okta.example";
        String externalId = "00u" + UUID.randomUUID().toString().replace("-", "").substring(0, 17);
        JsonNode created = tree(scim(token).body(fixture("create-okta.json", Map.of("userName", userName,
                "externalId", externalId))).when().post(USERS).then().statusCode(201).extract().response());
        String id = created.path("id").asText();
        String group = GroupsFixtures.createGroup(token, unique("Okta group"), id);
        String hashBefore = AccessRows.strings("SELECT password_hash FROM users WHERE id = CAST(? AS uuid)", id).get(0);

        Response replaced = scim(token).body(fixture("put-okta.json", Map.of("id", id, "userName", userName,
                "externalId", externalId))).when().put(USERS + "/" + id);
        replaced.then().statusCode(200);
        JsonNode user = tree(replaced);

        assertEquals("Another", user.path("name").path("givenName").asText());
        assertEquals("User", user.path("name").path("familyName").asText());
        assertFalse(user.has("displayName"), "left out of the PUT, so removed (RFC 7644 §3.5.1)");
        assertEquals(created.path("meta").path("created").asText(), user.path("meta").path("created").asText());
        assertNotEquals("2019-11-08T14:39:57.263Z", user.path("meta").path("lastModified").asText());
        assertTrue(user.path("meta").path("location").asText().endsWith("/scim/v2/Users/" + id));
        assertEquals(List.of(group), values(user.path("groups")), "groups is read-only: [] changes no membership");
        assertFalse(replaced.asString().contains("OktaPassw0rdSync"));
        String hashAfter = AccessRows.strings("SELECT password_hash FROM users WHERE id = CAST(? AS uuid)", id).get(0);
        assertNotEquals(hashBefore, hashAfter, "the synchronised password replaces the old one");
        assertTrue(hashAfter.startsWith("$2"));
    }

    private static List<String> values(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(v -> v.path("value").asText()).toList();
    }
}
