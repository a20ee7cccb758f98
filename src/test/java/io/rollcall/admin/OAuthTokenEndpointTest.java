package io.rollcall.admin;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.as;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) for identity providers: an access key's client secrets (shown once,
 * listed without the secret, revocable) and {@code POST /oauth/token}, with RFC 6749 §5.2 errors.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OAuthTokenEndpointTest {

    private static final String TOKEN = "/oauth/token";
    private static final String FORM = "application/x-www-form-urlencoded";

    private record Client(String id, String secret, String secretId) {
    }

    private static Client scimClient() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", unique("entra"), "roles", List.of("scim-client")));
        JsonPath secret = asOwner().when().post("/admin/v1/access-keys/" + key.id() + "/secrets").then()
                .statusCode(201).extract().jsonPath();
        return new Client(key.id(), secret.getString("secret"), secret.getString("id"));
    }

    private static ValidatableResponse form(String body) {
        return given().contentType(FORM).body(body).when().post(TOKEN).then();
    }

    private static void assertOAuthError(ValidatableResponse response, int status, String error) {
        response.statusCode(status).contentType("application/json").header("Cache-Control", "no-store")
                .body("error", equalTo(error)).body("error_description", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aSecretIsShownOnceAndListedWithoutIt() {
        Client client = scimClient();
        assertTrue(client.secret().startsWith("rcs_") && client.secret().length() > 40);
        asOwner().when().get("/admin/v1/access-keys/" + client.id() + "/secrets").then().statusCode(200)
                .body("totalResults", equalTo(1)).body("items[0].id", equalTo(client.secretId()))
                .body("items[0]", not(hasKey("secret")));
    }

    @Test
    void rfc6749_4_4_clientCredentialsInTheBodyGetABearerTokenThatOpensScim() {
        Client client = scimClient();
        JsonPath answer = form("grant_type=client_credentials&client_id=" + client.id() + "&client_secret="
                + client.secret()).statusCode(200).header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(3600)).extract().jsonPath();
        String token = answer.getString("access_token");
        given().auth().oauth2(token).when().get("/scim/v2/Users").then().statusCode(200);
        long expires = ((Number) Tokens.claimsOf(token).get("exp")).longValue();
        long now = Instant.now().getEpochSecond();
        assertTrue(expires > now + 3500 && expires <= now + 3601, "a short-lived token: exp " + expires);
    }

    @Test
    void rfc6749_2_3_1_httpBasicCredentialsWorkToo() {
        Client client = scimClient();
        String token = given().auth().preemptive().basic(client.id(), client.secret()).contentType(FORM)
                .body("grant_type=client_credentials").when().post(TOKEN).then().statusCode(200).extract()
                .path("access_token");
        given().auth().oauth2(token).when().get("/scim/v2/ServiceProviderConfig").then().statusCode(200);
    }

    @Test
    void rfc6749_5_2_aWrongSecretOrUnknownClientIsInvalidClient() {
        Client client = scimClient();
        assertOAuthError(form("grant_type=client_credentials&client_id=" + client.id()
                + "&client_secret=rcs_wrong"), 401, "invalid_client");
        assertOAuthError(form("grant_type=client_credentials&client_id=" + UUID.randomUUID()
                + "&client_secret=" + client.secret()), 401, "invalid_client");
        ValidatableResponse basic = given().auth().preemptive().basic(client.id(), "rcs_wrong").contentType(FORM)
                .body("grant_type=client_credentials").when().post(TOKEN).then();
        assertOAuthError(basic, 401, "invalid_client");
        basic.header("WWW-Authenticate", "Basic realm=\"rollcall\"");
    }

    @Test
    void rfc6749_5_2_malformedRequestsAreInvalidRequestOrUnsupportedGrantType() {
        Client client = scimClient();
        String credentials = "&client_id=" + client.id() + "&client_secret=" + client.secret();
        assertOAuthError(form("client_id=" + client.id()), 400, "invalid_request");
        assertOAuthError(form("grant_type=password" + credentials), 400, "unsupported_grant_type");
        assertOAuthError(form("grant_type=client_credentials&client_id=" + client.id()), 400, "invalid_request");
        assertOAuthError(form("grant_type=client_credentials&grant_type=client_credentials" + credentials), 400,
                "invalid_request");
        assertOAuthError(given().contentType("application/json").body("{\"grant_type\": \"client_credentials\"}")
                .when().post(TOKEN).then(), 400, "invalid_request");
        assertOAuthError(given().auth().preemptive().basic(client.id(), client.secret()).contentType(FORM)
                .body("grant_type=client_credentials" + credentials).when().post(TOKEN).then(), 400, "invalid_request");
    }

    @Test
    void revokingTheSecretEndsItsTokensAndFurtherGrants() {
        Client client = scimClient();
        String token = form("grant_type=client_credentials&client_id=" + client.id() + "&client_secret="
                + client.secret()).statusCode(200).extract().path("access_token");
        given().auth().oauth2(token).when().get("/scim/v2/Users").then().statusCode(200);
        asOwner().when().delete("/admin/v1/access-keys/" + client.id() + "/secrets/" + client.secretId()).then()
                .statusCode(204);
        given().auth().oauth2(token).when().get("/scim/v2/Users").then().statusCode(401);
        assertOAuthError(form("grant_type=client_credentials&client_id=" + client.id() + "&client_secret="
                + client.secret()), 401, "invalid_client");
        assertProblem(asOwner().when().delete("/admin/v1/access-keys/" + client.id() + "/secrets/"
                + client.secretId()).then(), 404, "No client secret");
    }

    @Test
    void revokingTheKeyEndsItsSecrets() {
        Client client = scimClient();
        asOwner().when().delete("/admin/v1/access-keys/" + client.id()).then().statusCode(204);
        assertOAuthError(form("grant_type=client_credentials&client_id=" + client.id() + "&client_secret="
                + client.secret()), 401, "invalid_client");
    }

    @Test
    void repeatedFailuresForOneClientAreRefusedForAWhileEvenWithTheRightSecret() {
        Client client = scimClient();
        for (int i = 0; i < 5; i++) {
            assertOAuthError(form("grant_type=client_credentials&client_id=" + client.id()
                    + "&client_secret=rcs_guess" + i), 401, "invalid_client");
        }
        ValidatableResponse limited = form("grant_type=client_credentials&client_id=" + client.id()
                + "&client_secret=" + client.secret());
        assertOAuthError(limited, 429, "temporarily_unavailable");
        int retryAfter = Integer.parseInt(limited.extract().header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 61, "Retry-After " + retryAfter);
        // another client is not affected
        Client other = scimClient();
        form("grant_type=client_credentials&client_id=" + other.id() + "&client_secret=" + other.secret())
                .statusCode(200);
    }

    /** Rule 6: a secret acts as its key, so creating one needs what the key holds. */
    @Test
    void aManagerMayNotMintASecretForAKeyHoldingMoreThanItself() {
        String accountAdmin = Tokens.withRoles("account-admin");
        Tokens.CreatedKey owner = Tokens.createKey(Map.of("name", unique("owner"), "roles",
                List.of("organization-owner")));
        assertProblem(as(accountAdmin).when().post("/admin/v1/access-keys/" + owner.id() + "/secrets").then(), 403,
                "acts as that key");
        asOwner().when().get("/admin/v1/access-keys/" + owner.id() + "/secrets").then().statusCode(200)
                .body("totalResults", equalTo(0));
        Tokens.CreatedKey reader = Tokens.createKey(Map.of("name", unique("reader"), "roles", List.of("inbox-agent")));
        as(accountAdmin).when().get("/admin/v1/access-keys/" + reader.id() + "/secrets").then().statusCode(200);
        assertEquals(403, as(Tokens.withRoles("inbox-agent")).when()
                .post("/admin/v1/access-keys/" + reader.id() + "/secrets").then().extract().statusCode());
    }

    @Test
    void anotherOrganizationsSecretsAreNotFound() {
        Client client = scimClient();
        String otherOwner = Tokens.newOrganization(unique("other")).token();
        assertProblem(as(otherOwner).when().get("/admin/v1/access-keys/" + client.id() + "/secrets").then(), 404,
                "No access key");
        assertProblem(as(otherOwner).when().post("/admin/v1/access-keys/" + client.id() + "/secrets").then(), 404,
                "No access key");
        assertProblem(as(otherOwner).when().delete("/admin/v1/access-keys/" + client.id() + "/secrets/"
                + client.secretId()).then(), 404, "No access key");
    }
}
