package io.rollcall.console;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.unique;
import static io.rollcall.support.ScimErrors.assertProblem;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.auth.MovableSessionClock;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * The console's session: sign-in with an access key's token sets an HttpOnly, SameSite=Strict cookie (Secure over
 * HTTPS); {@code /admin/v1} accepts it, writes only with the session's CSRF header; {@code /scim/v2} never accepts it;
 * idle, expired, signed-out and revoked sessions are refused. The refusals come first.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ConsoleSessionTest {

    private static final String SESSION = "/console/session";
    private static final String COOKIE = "rollcall_console";

    @Inject
    MovableSessionClock clock;

    @AfterEach
    void putTheClockBack() {
        clock.reset();
    }

    record Signed(String cookie, String csrf, String setCookie) {
    }

    static Signed signIn(String token) {
        Response response = given().contentType("application/json").body(Map.of("token", token))
                .when().post(SESSION).then().statusCode(201).extract().response();
        return new Signed(response.cookie(COOKIE), response.jsonPath().getString("csrfToken"),
                response.header("Set-Cookie"));
    }

    @Test
    void withoutCookieOrTokenTheAdminApiIs401() {
        given().when().get("/admin/v1/me").then().statusCode(401);
        given().cookie(COOKIE, "made-up").when().get("/admin/v1/me")
                .then().statusCode(401).body("detail", containsString("sign in again"));
    }

    @Test
    void aBadTokenOpensNoSession() {
        var refused = given().contentType("application/json").body(Map.of("token", "not-a-token"))
                .when().post(SESSION).then();
        assertProblem(refused, 401, "not valid");
        assertEquals(null, refused.extract().header("Set-Cookie"));
        given().contentType("application/json").body(Map.of("token", " ")).when().post(SESSION)
                .then().statusCode(400).body("detail", containsString("token"));
        given().contentType("application/json").body("{}").when().post(SESSION).then().statusCode(400);
    }

    @Test
    void aRevokedKeysTokenOpensNoSession() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", unique("console"), "roles", java.util.List.of("account-admin")));
        AdminFixtures.asOwner().when().delete("/admin/v1/access-keys/" + key.id()).then().statusCode(204);
        given().contentType("application/json").body(Map.of("token", key.token())).when().post(SESSION)
                .then().statusCode(401).body("detail", containsString("revoked"));
    }

    @Test
    void aWriteWithTheCookieButWithoutTheCsrfHeaderIs403() {
        Signed session = signIn(Tokens.owner());
        given().cookie(COOKIE, session.cookie()).contentType("application/json")
                .body(Map.of("name", unique("Console WS"))).when().post("/admin/v1/workspaces")
                .then().statusCode(403).contentType(containsString("application/problem+json"))
                .body("detail", containsString("X-CSRF-Token"));
        given().cookie(COOKIE, session.cookie()).header("X-CSRF-Token", session.csrf() + "x").contentType("application/json")
                .body(Map.of("name", unique("Console WS"))).when().post("/admin/v1/workspaces")
                .then().statusCode(403);
        given().cookie(COOKIE, session.cookie()).header("X-CSRF-Token", "").when()
                .delete("/admin/v1/roles/00000000-0000-0000-0000-000000000000").then().statusCode(403);
    }

    @Test
    void theCookieIsNeverAcceptedOnScim() {
        Signed session = signIn(AdminFixtures.scimToken());
        // the same key's bearer token opens /scim/v2; its session cookie does not
        given().cookie(COOKIE, session.cookie()).when().get("/scim/v2/Users").then().statusCode(401);
        given().cookie(COOKIE, session.cookie()).header("X-CSRF-Token", session.csrf()).contentType("application/scim+json")
                .body(Map.of("schemas", java.util.List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                        "userName", unique("cookie") + "@example.com"))
                .when().post("/scim/v2/Users").then().statusCode(401);
        given().auth().oauth2(AdminFixtures.scimToken()).when().get("/scim/v2/ServiceProviderConfig").then().statusCode(200);
    }

    @Test
    void anIdleSessionEnds() {
        Signed session = signIn(Tokens.owner());
        given().cookie(COOKIE, session.cookie()).when().get("/admin/v1/me").then().statusCode(200);
        clock.moveOn(Duration.ofMinutes(14));
        given().cookie(COOKIE, session.cookie()).when().get("/admin/v1/me").then().statusCode(200);
        clock.moveOn(Duration.ofMinutes(14)); // 28 minutes after sign-in, but 14 after its last use
        given().cookie(COOKIE, session.cookie()).when().get("/admin/v1/me").then().statusCode(200);
        clock.moveOn(Duration.ofMinutes(15).plusSeconds(1));
        given().cookie(COOKIE, session.cookie()).when().get("/admin/v1/me").then().statusCode(401);
        given().cookie(COOKIE, session.cookie()).when().get(SESSION).then().statusCode(401);
    }

    @Test
    void aBusySessionEndsAtItsMaximumAge() {
        Signed session = signIn(Tokens.owner());
        for (int i = 0; i < 40; i++) { // 40 × 12 minutes = 8 hours, never idle for long
            clock.moveOn(Duration.ofMinutes(12));
            int status = given().cookie(COOKIE, session.cookie()).when().get("/admin/v1/me").then().extract().statusCode();
            assertEquals(i < 39 ? 200 : 401, status, "after " + (i + 1) * 12 + " minutes");
        }
    }

    @Test
    void signingOutEndsTheSessionOnTheServer() {
        Signed session = signIn(Tokens.owner());
        // without the CSRF header, a sign-out (a write) is refused and the session lives on
        given().cookie(COOKIE, session.cookie()).when().delete(SESSION).then().statusCode(403);
        given().cookie(COOKIE, session.cookie()).when().get("/admin/v1/me").then().statusCode(200);

        Response out = given().cookie(COOKIE, session.cookie()).header("X-CSRF-Token", session.csrf())
                .when().delete(SESSION).then().statusCode(204).extract().response();
        assertTrue(out.header("Set-Cookie").contains("Max-Age=0"), out.header("Set-Cookie"));
        // the old cookie, replayed, no longer works anywhere
        given().cookie(COOKIE, session.cookie()).when().get("/admin/v1/me").then().statusCode(401);
        given().cookie(COOKIE, session.cookie()).when().get(SESSION).then().statusCode(401);
    }

    @Test
    void revokingTheKeyEndsItsSessions() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", unique("console"), "roles", java.util.List.of("account-admin")));
        Signed session = signIn(key.token());
        given().cookie(COOKIE, session.cookie()).when().get("/admin/v1/me").then().statusCode(200);
        AdminFixtures.asOwner().when().delete("/admin/v1/access-keys/" + key.id()).then().statusCode(204);
        given().cookie(COOKIE, session.cookie()).when().get("/admin/v1/me").then().statusCode(401);
    }

    @Test
    void theCookieIsHttpOnlySameSiteStrictAndSecureOverHttps() {
        Signed plain = signIn(Tokens.owner());
        assertTrue(plain.setCookie().contains("HttpOnly"), plain.setCookie());
        assertTrue(plain.setCookie().contains("SameSite=Strict"), plain.setCookie());
        assertTrue(plain.setCookie().contains("Path=/"), plain.setCookie());
        assertFalse(plain.setCookie().contains("Secure"), "plain HTTP cannot keep a Secure cookie: " + plain.setCookie());
        assertFalse(plain.setCookie().contains(Tokens.owner()), "the token is never in the cookie");

        String behindTls = given().header("X-Forwarded-Proto", "https").contentType("application/json")
                .body(Map.of("token", Tokens.owner())).when().post(SESSION).then().statusCode(201)
                .header("Cache-Control", "no-store").body(not(containsString(Tokens.owner())))
                .extract().header("Set-Cookie");
        assertTrue(behindTls.contains("; Secure"), behindTls);
        assertTrue(behindTls.contains("HttpOnly") && behindTls.contains("SameSite=Strict"), behindTls);
    }

    @Test
    void readsAndCsrfCheckedWritesPassWithTheCookie() {
        Signed session = signIn(Tokens.owner());
        given().cookie(COOKIE, session.cookie()).when().get("/admin/v1/me").then().statusCode(200)
                .body("kind", equalTo("access_key")).body("permissions", hasItem("roles:manage"))
                .body("permissions", not(hasItem("scim:provision")));
        given().cookie(COOKIE, session.cookie()).when().get(SESSION).then().statusCode(200)
                .body("csrfToken", equalTo(session.csrf()));
        given().cookie(COOKIE, session.cookie()).header("X-CSRF-Token", session.csrf()).contentType("application/json")
                .body(Map.of("name", unique("Console WS"))).when().post("/admin/v1/workspaces").then().statusCode(201);
    }
}
