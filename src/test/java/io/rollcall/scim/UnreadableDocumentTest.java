package io.rollcall.scim;

import static io.rollcall.support.UserFixtures.USERS;
import static io.rollcall.support.UserFixtures.fixture;
import static io.rollcall.support.UserFixtures.scim;
import static io.rollcall.support.UserFixtures.tree;
import static io.rollcall.support.UserFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.support.AccessRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * A user is written straight from its stored document when the answer is written; a document that cannot be read so
 * fails the request before anything is sent: a whole SCIM error (RFC 7644 §3.12), never a 200 with a truncated or
 * empty resource.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UnreadableDocumentTest {

    @Test
    void rfc7644_3_12_aStoredDocumentThatIsNotAnObjectIsA500ErrorNotATruncatedResource() {
        String token = Tokens.scimClient();
        String userName = unique("unreadable") + "@example.com";
        String id = tree(scim(token).body(fixture("create-minimal.json", Map.of("userName", userName))).when().post(USERS)
                .then().statusCode(201).extract().response()).path("id").asText();
        try {
            AccessRows.update("UPDATE users SET data = '[\"not\", \"an object\"]'::jsonb WHERE id = CAST(? AS uuid)", id);

            assertServerError(scim(token).when().get(USERS + "/" + id));
            assertServerError(scim(token).queryParam("filter", "userName eq \"" + userName + "\"").when().get(USERS));
        } finally {
            AccessRows.update("DELETE FROM users WHERE id = CAST(? AS uuid)", id);
        }
    }

    private static void assertServerError(Response response) {
        response.then().statusCode(500);
        JsonNode error = tree(response);
        assertEquals("500", error.path("status").asText(), response.asString());
        assertEquals("urn:ietf:params:scim:api:messages:2.0:Error", error.path("schemas").path(0).asText());
    }
}
