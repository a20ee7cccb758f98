package io.rollcall.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/** Signing in and out of the console in Chromium, and what a key without manage permissions sees. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ConsoleSignInE2ETest {

    @TestHTTPResource("/console/")
    URL console;

    static Browser browser;

    @BeforeAll
    static void noBrowserYet() {
        browser = null;
    }

    Browser browser() {
        if (browser == null) {
            browser = Browser.start(console.toString());
        }
        return browser;
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

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
        b.screenshot("01-sign-in-refused");

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
        b.screenshot("02-roles-read-only-key");
    }
}
