package io.rollcall.scim;

import static io.rollcall.support.UserFixtures.ENTERPRISE;
import static io.rollcall.support.UserFixtures.USERS;
import static io.rollcall.support.UserFixtures.fixture;
import static io.rollcall.support.UserFixtures.scim;
import static io.rollcall.support.UserFixtures.tree;
import static io.rollcall.support.UserFixtures.unique;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * RFC 7644 §3.9: {@code attributes} and {@code excludedAttributes} shape the resource a POST, PUT or PATCH answers
 * with, as they do a GET; {@code id} (returned always) stays, and the write itself is whole whatever is shown.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UserWriteResponsesTest {

    @Test
    void rfc7644_3_9_attributesOnACreateShowOnlyThoseAndTheAlwaysReturnedOnes() {
        String token = Tokens.scimClient();
        String userName = unique("projected") + "@example.com";
        Response created = scim(token).queryParam("attributes", "userName," + ENTERPRISE + ":department")
                .body(fixture("create-full.json", Map.of("userName", userName, "externalId", UUID.randomUUID().toString())))
                .when().post(USERS);
        created.then().statusCode(201).header("Location", endsWith(tree(created).path("id").asText()));
        JsonNode user = tree(created);

        assertEquals(userName, user.path("userName").asText());
        assertEquals("Tour Operations", user.path(ENTERPRISE).path("department").asText());
        assertEquals(List.of("department"), names(user.path(ENTERPRISE)));
        assertFalse(user.has("name") || user.has("emails") || user.has("displayName"), user.toString());
        assertTrue(user.path("id").isTextual());
        JsonNode stored = tree(scim(token).when().get(USERS + "/" + user.path("id").asText()).then().statusCode(200)
                .extract().response());
        assertEquals("Babs Jensen", stored.path("displayName").asText(), "the create stored everything");
    }

    @Test
    void rfc7644_3_9_excludedAttributesOnAReplaceLeaveThoseOut() {
        String token = Tokens.scimClient();
        String userName = unique("projected") + "@example.com";
        String externalId = UUID.randomUUID().toString();
        String id = tree(scim(token).body(fixture("create-full.json", Map.of("userName", userName,
                "externalId", externalId))).when().post(USERS).then().statusCode(201).extract().response())
                .path("id").asText();

        Response replaced = scim(token).queryParam("excludedAttributes", "emails,name")
                .body(fixture("create-full.json", Map.of("userName", userName, "externalId", externalId)))
                .when().put(USERS + "/" + id);
        replaced.then().statusCode(200);
        JsonNode user = tree(replaced);

        assertFalse(user.has("emails") || user.has("name"), user.toString());
        assertEquals("Babs Jensen", user.path("displayName").asText());
        assertEquals(userName, user.path("userName").asText());
        assertTrue(user.path("meta").path("version").isTextual());
    }

    @Test
    void rfc7644_3_9_attributesOnAPatchShowTheChangedResourceThroughThem() {
        String token = Tokens.scimClient();
        String userName = unique("projected") + "@example.com";
        String id = tree(scim(token).body(fixture("create-full.json", Map.of("userName", userName,
                "externalId", UUID.randomUUID().toString()))).when().post(USERS).then().statusCode(201).extract()
                .response()).path("id").asText();

        Response patched = scim(token).queryParam("attributes", "title").body(fixture("patch-replace-title.json",
                Map.of("title", "Head Guide"))).when().patch(USERS + "/" + id);
        patched.then().statusCode(200);
        JsonNode user = tree(patched);

        assertEquals("Head Guide", user.path("title").asText());
        assertEquals(id, user.path("id").asText());
        assertFalse(user.has("userName") || user.has("emails"), user.toString());
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
