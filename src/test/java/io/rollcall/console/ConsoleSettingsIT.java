package io.rollcall.console;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.rollcall.support.Tokens;

/**
 * Settings in Chromium: the fallback role, the roles the IdP may assign (once the server has that setting), and
 * access keys: created with the token shown once and a copy button, refused in words when the key may not grant a
 * role, revoked; a key's client secrets (its id shown, a secret shown once, signing in with them, revoked, refused when
 * the secret would act beyond the caller). Refusals of a settings change and of a revocation are shown by the control.
 */
class ConsoleSettingsIT extends ConsoleEndToEnd {

    private Map<String, Object> settingsBefore;

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
        b.screenshot("36-settings");
    }

    /** Access model rule 6b: the settings page chooses {@code scimAssignableRoles}. */
    @Test
    void choosesTheRolesTheIdentityProviderMayAssign() {
        Browser b = ownerOnSettings();
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
        b.screenshot("37-settings-idp-roles");
    }

    @Test
    void createsAnAccessKeyShowsItsTokenOnceAndRevokesIt() {
        Browser b = ownerOnSettings();
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
        b.screenshot("38-access-key-token-once");
        // the token shown is a working token of the new key
        given().auth().oauth2(shown).when().get("/admin/v1/me").then().statusCode(200).body("name",
                org.hamcrest.Matchers.equalTo(name));
        b.click(By.xpath("//dialog//button[normalize-space()='Done']"));
        WebElement row = b.waitFor(By.cssSelector("tr[data-key='" + name + "']"));
        assertTrue(row.getText().contains("Account admin"), row.getText());
        assertFalse(b.driver.getPageSource().contains(shown), "the token is shown once, then gone from the page");
        // the signed-in key cannot revoke itself here
        assertTrue(b.all(By.xpath("//tr[.//span[text()='this session']]//button[starts-with(normalize-space(), 'Revoke')]"))
                .isEmpty());
        b.screenshot("39-access-keys");

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
        b.screenshot("40-access-key-refused");
    }

    private static Browser ownerOnSettings() {
        Browser b = owner();
        b.open("settings");
        return b;
    }

    /** Opens the Client secrets panel of the access key named so, from its row in Settings. */
    private static void openClientSecrets(Browser b, String keyName) {
        b.click(b.waitFor(By.cssSelector("tr[data-key='" + keyName + "'] .key-actions button")));
    }

    @Test
    void aKeysClientSecretIsShownOnceSignsInToTheConsoleAndIsRevoked() {
        String name = unique("Entra app");
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", name, "roles", List.of("account-admin")));
        Browser b = ownerOnSettings();
        openClientSecrets(b, name);
        b.waitForText(By.cssSelector("dialog[open] h2"), "Client secrets of " + name);
        assertEquals(key.id(), b.driver.findElement(By.id("client-id-shown")).getAttribute("value"));
        b.waitForText(By.cssSelector("dialog[open] .empty"), "None");
        b.click(By.xpath("//dialog//button[normalize-space()='Create client secret']"));
        String secret = b.waitFor(By.id("new-secret")).getAttribute("value");
        assertTrue(secret.startsWith("rcs_"), "a client secret");
        assertTrue(b.driver.findElement(By.cssSelector("dialog[open]")).getText().contains("shown only once"));
        b.click(By.xpath("//dialog//button[normalize-space()='Copy secret']"));
        b.until(d -> !d.findElement(By.cssSelector("dialog[open] .fresh-secret [role=status]")).getText().isBlank());
        b.screenshot("41-client-secret-once");
        b.click(By.xpath("//dialog//button[normalize-space()='Done']"));
        b.waitGone(By.id("new-secret"));
        assertFalse(b.driver.getPageSource().contains(secret), "shown once, then gone from the page");
        assertEquals(1, b.all(By.cssSelector("dialog[open] li[data-secret]")).size());

        // what the dialog showed signs in, as a person would do it
        b.signedOut();
        b.click(By.id("method-secret"));
        b.type(By.id("client-id"), key.id());
        b.type(By.id("client-secret"), secret);
        b.click(By.cssSelector("form button[type=submit]"));
        b.waitForText(By.cssSelector("header .key"), name);

        // revoked by the owner: it no longer gets tokens
        b = ownerOnSettings();
        openClientSecrets(b, name);
        b.click(b.waitFor(By.xpath("//dialog//li[@data-secret]//button[starts-with(normalize-space(), 'Revoke')]")));
        b.waitForText(By.cssSelector("dialog[open] .empty"), "None");
        given().contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials&client_id="
                + key.id() + "&client_secret=" + secret).when().post("/oauth/token").then().statusCode(401);
    }

    @Test
    void theClientSecretsPanelFitsAPhoneWithEveryControlReachable() {
        String name = unique("Phone robot");
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", name, "roles", List.of("inbox-agent")));
        asOwner().when().post("/admin/v1/access-keys/" + key.id() + "/secrets").then().statusCode(201);
        Browser b = as(Tokens.owner());
        b.phone();
        try {
            b.open("settings");
            openClientSecrets(b, name);
            b.waitFor(By.cssSelector("dialog[open] li[data-secret]"));
            WebElement dialog = b.driver.findElement(By.cssSelector("dialog[open]"));
            assertTrue(b.fitsSideways(dialog), "the Client secrets panel fits 390 px");
            assertFalse(b.overflowsSideways());
            b.assertReachable(b.driver.findElement(By.id("client-id-shown")), "the client id");
            b.assertReachable(b.driver.findElement(By.xpath("//dialog//li[@data-secret]//button[starts-with("
                    + "normalize-space(), 'Revoke')]")), "Revoke");
            b.assertReachable(b.driver.findElement(By.xpath("//dialog//button[normalize-space()='Create client secret']")),
                    "Create client secret");

            b.click(By.xpath("//dialog//button[normalize-space()='Create client secret']"));
            WebElement secret = b.waitFor(By.id("new-secret"));
            assertTrue(b.fitsSideways(dialog), "with a new secret shown, the panel still fits 390 px");
            b.assertReachable(secret, "the new secret");
            b.assertReachable(b.driver.findElement(By.xpath("//dialog//button[normalize-space()='Copy secret']")),
                    "Copy secret");
            b.assertReachable(b.driver.findElement(By.xpath("//dialog//button[normalize-space()='Done']")), "Done");
            b.screenshot("46-client-secret-390px");
            b.click(By.xpath("//dialog//button[normalize-space()='Done']"));
            b.waitGone(By.id("new-secret"));
        } finally {
            b.wide();
        }
    }

    @Test
    void aSecretThatWouldActBeyondTheCallerIsRefusedInTheDialog() {
        String name = unique("Owner robot");
        Tokens.createKey(Map.of("name", name, "roles", List.of("organization-owner")));
        String accountAdmin = Tokens.createKey(Map.of("name", unique("Account admin"), "roles",
                List.of("account-admin"))).token();
        Browser b = as(accountAdmin);
        b.open("settings");
        openClientSecrets(b, name);
        b.click(b.waitFor(By.xpath("//dialog//button[normalize-space()='Create client secret']")));
        WebElement problem = b.waitFor(By.id("secret-error"));
        assertTrue(problem.getText().startsWith("Not allowed:"), problem.getText());
        assertTrue(b.all(By.id("new-secret")).isEmpty());
        b.screenshot("42-client-secret-refused");
    }

    @Test
    void aSettingsChangeTheServerRefusesIsShownBySaveAndTheChoiceKept() {
        String roleName = unique("Short-lived fallback");
        String roleId = asOwner().body(Map.of("name", roleName, "permissions", List.of("reports:read"))).when()
                .post("/admin/v1/roles").then().statusCode(201).extract().path("id");
        Browser b = ownerOnSettings();
        new Select(b.waitFor(By.id("fallback-role"))).selectByVisibleText(roleName);
        asOwner().when().delete("/admin/v1/roles/" + roleId).then().statusCode(204); // meanwhile, elsewhere
        b.click(By.xpath("//button[normalize-space()='Save settings']"));
        WebElement problem = b.waitFor(By.id("settings-error"));
        assertTrue(problem.getText().startsWith("Not accepted:") || problem.getText().startsWith("Not found:"),
                problem.getText());
        assertEquals(roleName, new Select(b.driver.findElement(By.id("fallback-role"))).getFirstSelectedOption()
                .getText(), "the choice is kept");
        b.screenshot("43-settings-refused");
    }

    @Test
    void revokingAKeyRevokedMeanwhileIsRefusedInTheDialog() {
        String name = unique("Old script");
        Tokens.CreatedKey key = Tokens.createKey(Map.of("name", name, "roles", List.of("account-admin")));
        Browser b = ownerOnSettings();
        b.click(b.waitFor(By.xpath("//tr[@data-key='" + name + "']//button[starts-with(normalize-space(), 'Revoke')]")));
        asOwner().when().delete("/admin/v1/access-keys/" + key.id()).then().statusCode(204);
        b.click(By.xpath("//dialog//button[normalize-space()='Revoke key']"));
        WebElement problem = b.waitFor(By.id("revoke-error"));
        assertTrue(problem.getText().startsWith("Not found:"), problem.getText());
    }
}
