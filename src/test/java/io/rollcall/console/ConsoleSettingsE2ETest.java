package io.rollcall.console;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * Settings in Chromium: the fallback role, the roles the IdP may assign (once the server has that setting), and
 * access keys: created with the token shown once and a copy button, refused in words when the key may not grant a
 * role, revoked.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ConsoleSettingsE2ETest {

    @TestHTTPResource("/console/")
    URL console;

    static Browser browser;
    private Map<String, Object> settingsBefore;

    Browser as(String token) {
        if (browser == null) {
            browser = Browser.start(console.toString());
        }
        browser.signIn(token);
        return browser;
    }

    @BeforeEach
    void rememberTheSettings() {
        settingsBefore = asOwner().when().get("/admin/v1/settings").then().statusCode(200).extract().jsonPath().getMap("");
    }

    /** The fallback role as it was, and the IdP's roles back to their default (a list sent back would freeze it). */
    @AfterEach
    void putTheSettingsBack() {
        asOwner().body(Map.of("fallbackRole", settingsBefore.get("fallbackRole"))).when().put("/admin/v1/settings")
                .then().statusCode(200);
    }

    @AfterAll
    static void closeTheBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @Test
    void changesTheFallbackRole() {
        Browser b = as(Tokens.owner());
        b.click(By.cssSelector("nav a[href='#/settings']"));
        Select fallback = new Select(b.waitFor(By.id("fallback-role")));
        assertEquals("Knowledge base user", fallback.getFirstSelectedOption().getText());
        fallback.selectByVisibleText("Chatbots (view only)");
        b.click(By.xpath("//button[normalize-space()='Save settings']"));
        b.waitForText(By.cssSelector(".card .notice"), "Settings saved");
        assertEquals("chatbots-view-only", asOwner().when().get("/admin/v1/settings").then().extract().path("fallbackRole"));
        b.screenshot("20-settings");
    }

    /** Access model rule 6b: the settings page chooses {@code scimAssignableRoles}. */
    @Test
    void choosesTheRolesTheIdentityProviderMayAssign() {
        Browser b = as(Tokens.owner());
        b.open("settings");
        WebElement owner = b.waitFor(By.id("idp-organization-owner"));
        WebElement campaign = b.driver.findElement(By.id("idp-campaign-manager"));
        assertFalse(owner.isSelected(), "by default the IdP may not assign Organization Owner");
        assertTrue(campaign.isSelected());
        b.click(campaign);
        b.click(By.xpath("//button[normalize-space()='Save settings']"));
        b.waitForText(By.cssSelector(".card .notice"), "Settings saved");
        @SuppressWarnings("unchecked")
        List<String> assignable = asOwner().when().get("/admin/v1/settings").then().extract().path("scimAssignableRoles");
        assertFalse(assignable.contains("campaign-manager"), assignable.toString());
        assertTrue(assignable.contains("inbox-agent"), assignable.toString());
        b.screenshot("21-settings-idp-roles");
    }

    @Test
    void createsAnAccessKeyShowsItsTokenOnceAndRevokesIt() {
        Browser b = as(Tokens.owner());
        b.open("settings");
        b.click(By.xpath("//button[normalize-space()='Create key']"));
        b.waitForText(By.id("key-error"), "Give the key a name");
        String name = unique("Okta");
        b.type(By.id("key-name"), name);
        b.click(By.xpath("//button[normalize-space()='Create key']"));
        b.waitForText(By.id("key-error"), "Choose at least one role");
        b.click(By.id("key-role-account-admin"));
        b.click(By.xpath("//button[normalize-space()='Create key']"));

        WebElement token = b.waitFor(By.id("new-token"));
        String shown = token.getAttribute("value");
        assertTrue(b.driver.findElement(By.cssSelector("dialog")).getText().contains("shown only once"));
        b.click(By.xpath("//dialog//button[normalize-space()='Copy token']"));
        b.until(d -> !d.findElement(By.cssSelector("dialog [role=status]")).getText().isBlank());
        b.screenshot("22-access-key-token-once");
        // the token shown is a working token of the new key
        given().auth().oauth2(shown).when().get("/admin/v1/me").then().statusCode(200).body("name",
                org.hamcrest.Matchers.equalTo(name));
        b.click(By.xpath("//dialog//button[normalize-space()='Done']"));
        WebElement row = b.waitFor(By.cssSelector("tr[data-key='" + name + "']"));
        assertTrue(row.getText().contains("Account admin"), row.getText());
        assertFalse(b.driver.getPageSource().contains(shown), "the token is shown once, then gone from the page");
        // the signed-in key cannot revoke itself here
        assertTrue(b.all(By.xpath("//tr[.//span[text()='this session']]//button")).isEmpty());
        b.screenshot("23-access-keys");

        b.click(row.findElement(By.xpath(".//button[starts-with(normalize-space(), 'Revoke')]")));
        b.click(By.xpath("//dialog//button[normalize-space()='Revoke key']"));
        b.waitGone(By.cssSelector("tr[data-key='" + name + "']"));
        given().auth().oauth2(shown).when().get("/admin/v1/me").then().statusCode(401);
    }

    @Test
    void aKeyThatWouldGrantMoreThanTheCallerHoldsIsRefusedInWordsAndTheFormKept() {
        String accountAdmin = Tokens.createKey(Map.of("name", unique("Account admin"), "roles", List.of("account-admin")))
                .token();
        Browser b = as(accountAdmin);
        b.open("settings");
        String name = unique("Escalation");
        b.type(By.id("key-name"), name);
        b.click(By.id("key-role-organization-owner"));
        b.click(By.xpath("//button[normalize-space()='Create key']"));
        WebElement problem = b.waitFor(By.id("key-error"));
        assertTrue(problem.getText().startsWith("Not allowed:"), problem.getText());
        assertEquals(name, b.driver.findElement(By.id("key-name")).getAttribute("value"));
        assertTrue(b.driver.findElement(By.id("key-role-organization-owner")).isSelected());
        // account admin may read the settings but not change them: no Save button
        assertTrue(b.all(By.xpath("//button[normalize-space()='Save settings']")).isEmpty());
        b.screenshot("24-access-key-refused");
    }
}
