package io.rollcall.scim;

import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.UserFixtures;

/**
 * An identity provider's provisioning requests replayed against {@code /scim/v2} ({@link OktaReplayTest},
 * {@link EntraReplayTest}): the bodies are the provider's, under {@code src/test/resources/idp/<provider>/}, sent with
 * the token the provider holds.
 */
final class IdpReplay {

    private final String fixtures;

    /** @param provider the directory of the provider's bodies under {@code /idp/}, e.g. {@code okta} */
    IdpReplay(String provider) {
        this.fixtures = "/idp/" + provider + "/";
    }

    /** The provider's request body in the file, its {@code {{placeholders}}} filled in from the values. */
    String body(String name, Map<String, String> values) {
        return WriteFixtures.resource(fixtures + name, values);
    }

    /** Sends the request; the answer, for the test to check. */
    ValidatableResponse send(String token, String method, String path, String body) {
        return UserFixtures.scim(token).body(body).when().request(method, "/scim/v2" + path).then();
    }

    /** A GET that answers 200 with the SCIM media type; its body. */
    JsonPath get(String token, String path) {
        return UserFixtures.scim(token).when().get("/scim/v2" + path).then().statusCode(200)
                .contentType(startsWith("application/scim+json")).extract().jsonPath();
    }
}
