package io.rollcall.console;

import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import io.restassured.path.json.JsonPath;
import io.rollcall.support.AdminFixtures;
import io.rollcall.support.Tokens;

/**
 * The role editor's Scopes link in Chromium: a workspace-level permission opens a dialog (All workspaces by default, or
 * the workspaces ticked), the choice is saved as a scoped permission and shown again when the role is opened; the
 * refusals (no workspace ticked; a workspace deleted meanwhile, refused by the server) are shown in the dialog or next to
 * Save with the input kept; organization-level permissions have no Scopes link.
 */
class ConsoleScopesIT extends ConsoleEndToEnd {

    private static void openSection(Browser b, String section) {
        WebElement details = b.waitFor(By.cssSelector("details[data-section='" + section + "']"));
        if (details.getAttribute("open") == null) {
            b.click(details.findElement(By.tagName("summary")));
        }
    }

    /** The owner's role editor on a new role named so, at its permissions with the Campaigns section open. */
    private static Browser newRoleOnCampaigns(String name) {
        Browser b = owner();
        b.open("roles/new");
        b.type(By.id("role-name"), name);
        b.click(By.id("tab-access"));
        openSection(b, "Campaigns");
        return b;
    }

    @Test
    void aPermissionScopedToWorkspacesInTheDialogIsSavedAndShownAgain() {
        String emea = unique("EMEA");
        String emeaId = AdminFixtures.createWorkspace(emea);
        String apacId = AdminFixtures.createWorkspace(unique("APAC"));
        String name = unique("Regional launcher");
        Browser b = newRoleOnCampaigns(name);
        b.click(By.id("perm-campaigns:read"));
        WebElement scope = b.waitFor(By.cssSelector("[data-scopes='campaigns:launch']"));
        assertTrue(scope.getText().contains("All workspaces"), scope.getText());
        openSection(b, "Roles");
        assertTrue(b.all(By.cssSelector("[data-scopes='roles:read']")).isEmpty(),
                "an organization-level permission has no scopes");

        // the dialog, by keyboard: Enter opens it with focus inside
        WebElement link = b.driver.findElement(By.cssSelector("[data-scopes='campaigns:launch'] button"));
        b.script("arguments[0].scrollIntoView({block: 'center'});", link);
        link.sendKeys(Keys.ENTER);
        b.waitForText(By.cssSelector("dialog h2"), "Scopes of campaigns:launch");
        assertTrue(b.driver.findElement(By.id("scope-all")).isSelected(), "All workspaces by default");
        assertEquals(Boolean.TRUE, b.script("return document.querySelector('dialog[open]').contains(document.activeElement);"),
                "focus moves into the dialog");
        b.click(By.id("scope-some"));
        b.click(By.xpath("//dialog//button[normalize-space()='Apply scopes']"));
        b.waitForText(By.id("scopes-error"), "Tick at least one workspace");
        b.click(By.id("scope-" + emeaId));
        b.click(By.id("scope-" + apacId));
        b.screenshot("18-role-scopes-dialog");
        b.phone();
        try {
            assertFalse(b.overflowsSideways(), "the scopes dialog fits 390 px");
            b.screenshot("19-role-scopes-dialog-390px");
        } finally {
            b.wide();
        }
        b.click(By.xpath("//dialog//button[normalize-space()='Apply scopes']"));
        b.waitGone(By.cssSelector("dialog[open]"));
        assertEquals(b.driver.findElement(By.cssSelector("[data-scopes='campaigns:launch'] button")), b.focused(),
                "focus goes back to the Scopes link");
        b.waitForText(By.cssSelector("[data-scopes='campaigns:launch']"), "2 workspaces");
        assertTrue(b.driver.findElement(By.id("perm-campaigns:launch")).isSelected(), "scoping a permission ticks it");
        b.click(By.cssSelector("button[type=submit].primary"));
        b.waitForText(By.cssSelector("main h1"), name);

        JsonPath role = asOwner().queryParam("search", name).when().get("/admin/v1/roles").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("campaigns:read", role.getString("items[0].permissions.find { it instanceof String }"));
        assertEquals("campaigns:launch", role.getString("items[0].permissions.find { it instanceof Map }.key"));
        assertEquals(List.of(apacId, emeaId).stream().sorted().toList(), role.getList(
                "items[0].permissions.find { it instanceof Map }.workspaces", String.class).stream().sorted().toList());

        // opened again, the scope is shown; narrowing it to one workspace shows that workspace's name
        b.click(By.id("tab-access"));
        openSection(b, "Campaigns");
        b.waitForText(By.cssSelector("[data-scopes='campaigns:launch']"), "2 workspaces");
        b.click(By.cssSelector("[data-scopes='campaigns:launch'] button"));
        b.click(By.id("scope-" + apacId));
        b.click(By.xpath("//dialog//button[normalize-space()='Apply scopes']"));
        b.waitForText(By.cssSelector("[data-scopes='campaigns:launch']"), emea);
        b.screenshot("20-role-editor-scoped-permission");
        b.click(By.cssSelector("button[type=submit].primary"));
        b.waitForText(By.cssSelector(".notice"), "Saved " + name);
        assertEquals(List.of(emeaId), asOwner().queryParam("search", name).when().get("/admin/v1/roles").then()
                .extract().jsonPath().getList("items[0].permissions.find { it instanceof Map }.workspaces"));
    }

    @Test
    void aWorkspaceDeletedBeforeSavingIsRefusedNextToSaveAndTheChoiceIsKept() {
        String doomed = unique("Closing");
        String doomedId = AdminFixtures.createWorkspace(doomed);
        String name = unique("Closing launcher");
        Browser b = newRoleOnCampaigns(name);
        b.click(By.cssSelector("[data-scopes='campaigns:launch'] button"));
        b.click(By.id("scope-some"));
        b.click(By.id("scope-" + doomedId));
        b.click(By.xpath("//dialog//button[normalize-space()='Apply scopes']"));
        b.waitForText(By.cssSelector("[data-scopes='campaigns:launch']"), doomed);
        asOwner().when().delete("/admin/v1/workspaces/" + doomedId).then().statusCode(204);

        b.click(By.cssSelector("button[type=submit].primary"));
        WebElement problem = b.waitFor(By.id("save-error"));
        assertTrue(problem.getText().startsWith("Not accepted:"), problem.getText());
        assertTrue(problem.getText().contains(doomedId) && problem.getText().contains("not a workspace"),
                problem.getText());
        b.screenshot("21-role-scopes-refused");
        assertTrue(b.driver.findElement(By.id("perm-campaigns:launch")).isSelected(), "the tick is kept");
        assertTrue(b.driver.findElement(By.cssSelector("[data-scopes='campaigns:launch']")).getText().contains(doomed),
                "the scope is kept");
        assertEquals(0, asOwner().queryParam("search", name).when().get("/admin/v1/roles").then().extract()
                .jsonPath().getInt("totalResults"), "nothing was created");
    }
}
