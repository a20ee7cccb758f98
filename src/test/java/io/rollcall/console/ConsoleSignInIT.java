package io.rollcall.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.Cookie;

import io.rollcall.support.AdminFixtures;
import io.rollcall.support.Tokens;

/** Signing in and out of the console in Chromium, and what a key without manage permissions sees. */
class ConsoleSignInIT extends ConsoleEndToEnd {

    @Test
    void aBadTokenIsRefusedInWordsNextToTheFieldThenTheOwnerSignsInAndOut() {
        Browser b = browser();
        b.signedOut();
        b.screenshot("01-sign-in");
        // empty: said next to the field, nothing sent
        b.click(By.cssSelector("form button[type=submit]"));
        b.waitForText(By.id("token-error"), "Paste an access key token");
        // a token the server refuses: its words, next to the field, and the input kept for correction
        b.type(By.id("token"), "eyJhbGciOiJub25lIn0.e30.");
        b.click(By.cssSelector("form button[type=submit]"));
        b.waitForText(By.id("token-error"), "not valid");
        assertEquals("eyJhbGciOiJub25lIn0.e30.", b.driver.findElement(By.id("token")).getAttribute("value"));
        assertEquals("true", b.driver.findElement(By.id("token")).getAttribute("aria-invalid"));
        b.screenshot("02-sign-in-refused");

        b.type(By.id("token"), Tokens.owner());
        b.click(By.cssSelector("form button[type=submit]"));
        b.waitForText(By.cssSelector("main h1"), "Access roles");
        Cookie cookie = b.cookieObject("rollcall_console");
        assertNotNull(cookie);
        assertTrue(cookie.isHttpOnly(), "the session cookie is HttpOnly");
        assertEquals("Strict", cookie.getSameSite());
        assertFalse(cookie.getValue().contains(Tokens.owner().substring(0, 20)));
        // the token is in no storage the page's scripts could read
        assertEquals(0L, b.script("return window.localStorage.length + window.sessionStorage.length;"));
        assertFalse((Boolean) b.script("return document.cookie.includes('rollcall_console');"));

        String session = cookie.getValue();
        b.click(By.xpath("//header//button[normalize-space()='Sign out']"));
        b.waitForText(By.cssSelector(".signin"), "You signed out");
        // signed out on the server: the old cookie, replayed, opens nothing
        given().cookie("rollcall_console", session).when().get("/admin/v1/me").then().statusCode(401);
    }

    @Test
    void anEndedSessionReturnsToTheSignInPageSayingWhy() {
        Browser b = browser();
        b.signIn(Tokens.owner());
        String session = b.cookie("rollcall_console");
        // the session ends elsewhere (another tab signed out)
        String csrf = given().cookie("rollcall_console", session).when().get("/console/session").then().statusCode(200)
                .extract().path("csrfToken");
        given().cookie("rollcall_console", session).header("X-CSRF-Token", csrf).when().delete("/console/session")
                .then().statusCode(204);
        b.click(By.cssSelector("nav a[href='#/users']"));
        b.waitForText(By.cssSelector(".signin .notice"), "signed out");
    }

    @Test
    void aKeyWithoutRolesManageSeesNoEditingControls() {
        String accountAdmin = Tokens.createKey(Map.of("name", AdminFixtures.unique("Account admin key"),
                "roles", List.of("account-admin"))).token();
        Browser b = browser();
        b.signIn(accountAdmin);
        b.waitFor(By.cssSelector("tr[data-role=organization-owner]"));
        assertTrue(b.all(By.linkText("Create role")).isEmpty(), "no Create role without roles:manage");
        b.click(By.cssSelector("tr[data-role=campaign-manager] .kebab"));
        List<String> items = b.all(By.cssSelector("tr[data-role=campaign-manager] [role=menuitem]")).stream()
                .map(e -> e.getText().trim()).toList();
        assertEquals(List.of("Manage users"), items);
        b.screenshot("03-roles-read-only-key");
    }

    @Test
    void aKeyIdAndClientSecretSignInWrongAndRevokedSecretsAreRefusedNextToTheField() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", AdminFixtures.unique("Console client"),
                "roles", List.of("organization-owner")));
        var secret = AdminFixtures.asOwner().when().post("/admin/v1/access-keys/" + key.id() + "/secrets").then()
                .statusCode(201).extract().jsonPath();
        var other = AdminFixtures.asOwner().when().post("/admin/v1/access-keys/" + key.id() + "/secrets").then()
                .statusCode(201).extract().jsonPath();
        Browser b = browser();
        b.signedOut();
        b.click(By.id("method-secret"));
        WebElement clientId = b.driver.findElement(By.id("client-id"));
        b.until(d -> clientId.equals(b.focused())); // the field takes focus once the form re-renders
        assertEquals(clientId, b.focused(), "focus goes to the key id");
        // nothing entered: said next to the field, nothing sent
        b.click(By.cssSelector("form button[type=submit]"));
        b.waitForText(By.id("clientId-error"), "access key");
        b.type(By.id("client-id"), key.id());
        b.click(By.cssSelector("form button[type=submit]"));
        b.waitForText(By.id("secret-error"), "client secret");

        // a wrong secret: the server's words next to the secret field, both inputs kept
        String wrong = secret.getString("secret") + "x";
        b.type(By.id("client-secret"), wrong);
        b.click(By.cssSelector("form button[type=submit]"));
        b.waitForText(By.id("secret-error"), "do not sign in");
        assertEquals(key.id(), b.driver.findElement(By.id("client-id")).getAttribute("value"));
        assertEquals(wrong, b.driver.findElement(By.id("client-secret")).getAttribute("value"));
        assertEquals("true", b.driver.findElement(By.id("client-secret")).getAttribute("aria-invalid"));
        assertEquals(b.driver.findElement(By.id("client-secret")), b.focused());
        b.screenshot("04-sign-in-client-secret-refused");

        // a revoked secret: refused the same way
        AdminFixtures.asOwner().when().delete("/admin/v1/access-keys/" + key.id() + "/secrets/" + other.getString("id"))
                .then().statusCode(204);
        b.type(By.id("client-secret"), other.getString("secret"));
        b.click(By.cssSelector("form button[type=submit]"));
        b.until(d -> d.findElement(By.id("secret-error")).getText().contains("do not sign in")
                && d.findElement(By.id("client-secret")).getAttribute("value").equals(other.getString("secret")));

        // the right one: the console works, and the secret is in no storage
        b.type(By.id("client-secret"), secret.getString("secret"));
        b.screenshot("05-sign-in-client-secret");
        b.click(By.cssSelector("form button[type=submit]"));
        b.waitForText(By.cssSelector("main h1"), "Access roles");
        b.waitFor(By.cssSelector("tr[data-role=organization-owner]"));
        assertEquals(0L, b.script("return window.localStorage.length + window.sessionStorage.length;"));
        assertFalse(b.driver.getPageSource().contains(secret.getString("secret")), "the secret is not kept in the page");
        b.click(By.cssSelector("nav a[href='#/users']"));
        b.waitForText(By.cssSelector("main h1"), "Users");
        b.click(By.xpath("//header//button[normalize-space()='Sign out']"));
        b.waitForText(By.cssSelector(".signin"), "You signed out");
    }

    @Test
    void aKeyIdThatFailedTooOftenIsToldToWaitNextToTheSecretEvenWithTheRightSecret() {
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", AdminFixtures.unique("Guessed client"),
                "roles", List.of("account-admin")));
        String secret = AdminFixtures.asOwner().when().post("/admin/v1/access-keys/" + key.id() + "/secrets").then()
                .statusCode(201).extract().path("secret");
        for (int i = 0; i < 5; i++) { // someone guessing at the token endpoint
            given().contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials&client_id="
                    + key.id() + "&client_secret=rcs_guess" + i).when().post("/oauth/token").then().statusCode(401);
        }
        Browser b = browser();
        b.signedOut();
        b.click(By.id("method-secret"));
        b.type(By.id("client-id"), key.id());
        b.type(By.id("client-secret"), secret);
        b.click(By.cssSelector("form button[type=submit]"));
        String said = b.waitForText(By.id("secret-error"), "Wait before trying again").getText();
        assertTrue(said.contains("seconds"), said);
        assertEquals(secret, b.driver.findElement(By.id("client-secret")).getAttribute("value"), "the input is kept");
        assertTrue(b.all(By.cssSelector("nav[aria-label=Console]")).isEmpty(), "not signed in");
        b.screenshot("06-sign-in-client-secret-429");
    }
}
