package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.ScimErrors.assertProblem;
import static io.rollcall.support.ScimErrors.assertScimError;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * RFC 7644 §3.1 with RFC 8259 §8.1: SCIM bodies are JSON in UTF-8. A body declared in another charset is 415 and
 * nothing is created, instead of being read as UTF-8; UTF-8 declared in any spelling, or not declared, is read.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RequestCharsetTest {

    private static String body(String userName) {
        return "{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:User\"], \"userName\": \"" + userName + "\"}";
    }

    @Test
    void rfc7644_3_1_aBodyInUtf16Is415AndCreatesNothing() {
        String userName = AdminFixtures.unique("utf16") + "@example.com";
        assertScimError(given().auth().oauth2(Tokens.scimClient())
                .contentType("application/scim+json; charset=UTF-16")
                .body(body(userName).getBytes(StandardCharsets.UTF_16)).when().post("/scim/v2/Users").then(), 415, null,
                "utf-16");
        given().auth().oauth2(Tokens.scimClient()).queryParam("filter", "userName eq \"" + userName + "\"")
                .when().get("/scim/v2/Users").then().statusCode(200).body("totalResults", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void rfc7644_3_1_latin1IsRefusedOnTheAdminApiTooAsAProblem() {
        assertProblem(given().auth().oauth2(Tokens.owner()).contentType("application/json; charset=ISO-8859-1")
                .body("{\"name\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1)).when()
                .post("/admin/v1/workspaces").then(), 415, "iso-8859-1");
    }

    @Test
    void rfc7644_3_1_utf8DeclaredInAnySpellingOrNotAtAllIsRead() {
        for (String contentType : new String[] { "application/scim+json; charset=UTF-8", "application/scim+json;charset=\"utf-8\"",
                "application/scim+json" }) {
            given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                    .appendDefaultContentCharsetToContentTypeIfUndefined(false))).auth().oauth2(Tokens.scimClient())
                    .contentType(contentType)
                    .body(body(AdminFixtures.unique("utf8") + "@example.com").getBytes(StandardCharsets.UTF_8)).when()
                    .post("/scim/v2/Users").then().statusCode(201);
        }
    }
}
