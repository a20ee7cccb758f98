package io.rollcall.console;

import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.createUser;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import io.restassured.path.json.JsonPath;
import io.rollcall.support.AdminFixtures.User;
import io.rollcall.support.Tokens;

/**
 * The Access roles screens in Chromium: the Default and Custom tabs, the three-dot menu (keyboard too), creating a
 * custom role from permission sections and from policies, the server's refusals next to the control, duplicate and
 * delete, a managed role opened for membership only, and the role's Users tab with the "All users" panel.
 */
class ConsoleRolesIT extends ConsoleEndToEnd {

    static String createRole(String name, List<String> permissions) {
        return asOwner().body(Map.of("name", name, "description", "Made by a test", "permissions", permissions))
                .when().post("/admin/v1/roles").then().statusCode(201).extract().path("id");
    }

    @Test
    void theDefaultTabListsManagedRolesWithCountsAndNeverInternalOnes() {
        Browser b = owner();
        WebElement owner = b.waitFor(By.cssSelector("tr[data-role=organization-owner]"));
        assertTrue(owner.getText().contains("Organization Owner"), owner.getText());
        assertEquals("true", b.driver.findElement(By.id("tab-managed")).getAttribute("aria-selected"));
        assertTrue(b.all(By.cssSelector("tr[data-role=visitor], tr[data-role=chat-widget]")).isEmpty(),
                "internal roles never appear");
        List<String> headers = b.all(By.cssSelector("table.roles thead th")).stream().map(WebElement::getText).toList();
        assertEquals(List.of("ROLE NAME", "DESCRIPTION", "USERS", "PERMISSIONS", "SCOPES", "ACTIONS"),
                headers.stream().map(String::toUpperCase).toList());
        // SCIM Client holds 3 permissions: the count shown is the server's
        assertTrue(b.driver.findElement(By.cssSelector("tr[data-role=scim-client]")).getText().contains("3"));
        b.screenshot("07-roles-default");

        // the menu by keyboard: Enter opens it, focus moves in, Escape closes and gives focus back
        WebElement kebab = b.driver.findElement(By.cssSelector("tr[data-role=inbox-agent] .kebab"));
        kebab.sendKeys(Keys.ENTER);
        b.waitFor(By.cssSelector("tr[data-role=inbox-agent] [role=menu]"));
        assertEquals("Manage users", b.focused().getText().trim());
        List<String> items = b.all(By.cssSelector("tr[data-role=inbox-agent] [role=menuitem]")).stream()
                .map(e -> e.getText().trim()).toList();
        assertEquals(List.of("Manage users", "Duplicate"), items, "no Delete for a managed role");
        b.focused().sendKeys(Keys.ESCAPE);
        b.waitGone(By.cssSelector("tr[data-role=inbox-agent] [role=menu]"));
        assertEquals("true", b.focused().getAttribute("aria-haspopup").equals("menu") ? "true" : "false");
    }

    @Test
    void theCustomTabSearchesCustomRoles() {
        String word = unique("Zebra");
        createRole(word + " reporter", List.of("reports:read"));
        createRole(unique("Other") + " role", List.of("reports:read"));
        Browser b = owner();
        b.click(By.id("tab-custom"));
        b.type(By.id("role-search"), word.toLowerCase());
        b.until(d -> b.all(By.cssSelector("table.roles tbody tr")).size() == 1);
        assertTrue(b.driver.findElement(By.cssSelector("table.roles tbody tr")).getText().contains(word + " reporter"));
        b.screenshot("08-roles-custom-search");
        b.type(By.id("role-search"), "no role is called this " + word);
        b.waitForText(By.cssSelector(".empty"), "No custom role matches");
    }

    @Test
    void createsACustomRoleFromPermissionSections() {
        Browser b = owner();
        b.click(By.linkText("Create role"));
        b.waitForText(By.cssSelector("main h1"), "Create role");
        // name is required: said next to the field, and nothing is sent
        b.click(By.cssSelector("button[type=submit].primary"));
        b.waitForText(By.id("role-name-error"), "A role needs a name");
        assertEquals(b.driver.findElement(By.id("role-name")), b.focused());

        String name = unique("Campaign launcher");
        b.type(By.id("role-name"), name);
        b.type(By.id("role-description"), "Launches campaigns, reads templates");
        b.click(By.id("tab-access"));
        WebElement campaigns = b.waitFor(By.cssSelector("details[data-section=Campaigns]"));
        b.click(campaigns.findElement(By.tagName("summary")));
        assertTrue(campaigns.getText().contains("Broadcast campaigns"), "the section's description is shown");
        assertTrue(campaigns.findElement(By.cssSelector("summary .count")).getText().contains("0 / 4"));
        b.click(campaigns.findElement(By.xpath(".//button[starts-with(normalize-space(), 'Select all')]")));
        b.waitForText(By.cssSelector("details[data-section=Campaigns] summary .count"), "4 / 4");
        WebElement templates = b.driver.findElement(By.cssSelector("details[data-section=Templates]"));
        b.click(templates.findElement(By.tagName("summary")));
        b.click(By.id("perm-templates:read"));
        b.waitForText(By.cssSelector("details[data-section=Templates] summary .count"), "1 / 2");
        b.screenshot("09-role-editor-permissions");
        b.click(By.cssSelector("button[type=submit].primary"));

        b.waitForText(By.cssSelector("main h1"), name);
        JsonPath role = asOwner().queryParam("search", name).when().get("/admin/v1/roles").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("campaigns:approve", "campaigns:create", "campaigns:launch", "campaigns:read",
                "templates:read"), role.getList("items[0].permissions", String.class).stream().sorted().toList());
        assertEquals("Launches campaigns, reads templates", role.getString("items[0].description"));
    }

    @Test
    void createsACustomRoleFromPolicies() {
        Browser b = owner();
        b.open("roles/new");
        String name = unique("Template reader");
        b.type(By.id("role-name"), name);
        b.click(By.id("mode-policies"));
        b.click(By.id("tab-access"));
        b.waitFor(By.id("policy-type-0"));
        new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.id("policy-type-0"))).selectByVisibleText("Managed");
        new org.openqa.selenium.support.ui.Select(b.driver.findElement(By.id("policy-0"))).selectByVisibleText("TemplatesRead");
        b.click(By.xpath("//button[normalize-space()='Apply another policy']"));
        new org.openqa.selenium.support.ui.Select(b.waitFor(By.id("policy-1"))).selectByVisibleText("ReportsRead");
        b.screenshot("10-role-editor-policies");
        b.click(By.cssSelector("button[type=submit].primary"));
        b.waitForText(By.cssSelector("main h1"), name);
        JsonPath role = asOwner().queryParam("search", name).when().get("/admin/v1/roles").then().extract().jsonPath();
        assertEquals(List.of("ReportsRead", "TemplatesRead"),
                role.getList("items[0].policies.display", String.class).stream().sorted().toList());
    }

    @Test
    void theServersRefusalIsShownNextToSaveAndTheInputIsKept() {
        Browser b = owner();
        b.open("roles/new");
        b.type(By.id("role-name"), "campaign MANAGER"); // a managed role's name, any case
        b.click(By.id("tab-access"));
        WebElement reports = b.waitFor(By.cssSelector("details[data-section=Reports]"));
        b.click(reports.findElement(By.tagName("summary")));
        b.click(By.id("perm-reports:read"));
        b.click(By.cssSelector("button[type=submit].primary"));
        WebElement problem = b.waitFor(By.id("save-error"));
        assertTrue(problem.getText().startsWith("Conflict:"), problem.getText());
        assertTrue(problem.getText().contains("exists"), problem.getText());
        b.screenshot("11-role-editor-refused");
        // the input is kept: the ticked permission and the name are still there
        assertTrue(b.driver.findElement(By.id("perm-reports:read")).isSelected());
        b.click(By.id("tab-general"));
        assertEquals("campaign MANAGER", b.waitFor(By.id("role-name")).getAttribute("value"));
        assertTrue(b.waitFor(By.id("role-name-error")).getText().contains("exists"));
    }

    @Test
    void duplicatesAndDeletesACustomRoleFromTheMenu() {
        String name = unique("Report reader");
        createRole(name, List.of("reports:read"));
        Browser b = owner();
        b.click(By.id("tab-custom"));
        b.type(By.id("role-search"), name);
        b.until(d -> b.all(By.cssSelector("table.roles tbody tr")).size() == 1);
        b.click(By.cssSelector("table.roles tbody tr .kebab"));
        assertEquals(List.of("Edit", "Duplicate", "Delete"), b.all(By.cssSelector("[role=menuitem]")).stream()
                .map(e -> e.getText().trim()).toList());
        b.click(By.xpath("//button[@role='menuitem'][normalize-space()='Duplicate']"));
        WebElement copyName = b.waitFor(By.id("copy-name"));
        assertEquals(name + " (copy)", copyName.getAttribute("value"));
        b.click(By.xpath("//dialog//button[normalize-space()='Duplicate']"));
        b.waitForText(By.cssSelector("main h1"), name + " (copy)");
        assertEquals(1, asOwner().queryParam("search", name + " (copy)").when().get("/admin/v1/roles").then()
                .extract().jsonPath().getInt("totalResults"));

        // delete the copy from its editor, the original from the list's menu
        b.click(By.xpath("//main//button[normalize-space()='Delete']"));
        b.click(By.xpath("//dialog//button[normalize-space()='Delete role']"));
        b.waitFor(By.id("tab-custom"));
        b.open("roles?tab=custom");
        b.type(By.id("role-search"), name);
        b.until(d -> b.all(By.cssSelector("table.roles tbody tr")).size() == 1);
        b.click(By.cssSelector("table.roles tbody tr .kebab"));
        b.click(By.xpath("//button[@role='menuitem'][normalize-space()='Delete']"));
        b.click(By.xpath("//dialog//button[normalize-space()='Delete role']"));
        b.waitForText(By.cssSelector(".notice"), "Deleted " + name);
        assertEquals(0, asOwner().queryParam("search", name).when().get("/admin/v1/roles").then().extract().jsonPath()
                .getInt("totalResults"));
    }

    @Test
    void aRoleThatWouldLeaveAUserWithoutRolesIsNotDeletedAndTheConsoleSaysWhy() {
        String name = unique("Only role");
        String roleId = createRole(name, List.of("reports:read"));
        User user = createUser();
        asOwner().body(Map.of("role", roleId)).when().post("/admin/v1/users/" + user.id() + "/roles").then().statusCode(201);
        String fallback = asOwner().when().get("/admin/v1/users/" + user.id() + "/roles").then().extract().jsonPath()
                .getString("items.find { it.source == 'system' }.id");
        if (fallback != null) {
            asOwner().when().delete("/admin/v1/users/" + user.id() + "/roles/" + fallback).then().statusCode(204);
        }
        Browser b = owner();
        b.open("roles/" + roleId);
        b.waitForText(By.cssSelector("main h1"), name);
        b.click(By.xpath("//main//button[normalize-space()='Delete']"));
        b.click(By.xpath("//dialog//button[normalize-space()='Delete role']"));
        WebElement problem = b.waitFor(By.id("copy-error"));
        assertTrue(problem.getText().startsWith("Conflict:"), problem.getText());
        b.screenshot("12-role-delete-refused");
    }

    @Test
    void aManagedRoleOpensForMembershipOnlyAndItsUsersTabAssignsAndUnassignsOnSave() {
        User ana = createUser();
        Browser b = owner();
        b.click(By.cssSelector("tr[data-role=analyze-manager] .kebab"));
        b.click(By.xpath("//button[@role='menuitem'][normalize-space()='Manage users']"));
        b.waitForText(By.cssSelector("main h1"), "Analyze manager");
        assertEquals(List.of("Users"), b.all(By.cssSelector("[role=tab]")).stream().map(WebElement::getText).toList());
        assertTrue(b.all(By.id("role-name")).isEmpty(), "a managed role's definition is not editable");
        assertTrue(b.all(By.xpath("//main//button[normalize-space()='Delete']")).isEmpty());
        assertFalse(b.driver.findElement(By.cssSelector("button[type=submit].primary")).isEnabled(),
                "nothing to save yet");

        b.click(By.id("select-users"));
        b.type(By.id("user-search"), ana.userName());
        b.until(d -> b.all(By.cssSelector(".pick li input")).size() == 1);
        b.click(By.cssSelector(".pick li input"));
        b.screenshot("13-role-select-users-panel");
        b.click(By.xpath("//dialog//button[starts-with(normalize-space(), 'Add 1 user')]"));
        b.waitGone(By.cssSelector("dialog[open]"));
        assertEquals(b.driver.findElement(By.id("select-users")), b.focused(), "focus goes back to Select users");
        WebElement picked = b.waitFor(By.cssSelector("tr.added[data-member='" + ana.userName() + "']"));
        assertTrue(picked.getText().contains("Will be assigned on Save"), picked.getText());
        assertFalse(io.rollcall.support.AdminFixtures.bindings("users", ana.id()).contains("analyze-manager local"),
                "nothing is written before Save");
        b.click(By.cssSelector("button[type=submit].primary"));
        b.waitForText(By.cssSelector(".notice"), "Saved Analyze manager: assigned it to 1 user");
        WebElement row = b.waitFor(By.cssSelector("tr:not(.added)[data-member='" + ana.userName() + "']"));
        assertTrue(row.getText().contains("Assigned here"), row.getText());
        assertTrue(io.rollcall.support.AdminFixtures.bindings("users", ana.id()).contains("analyze-manager local"));
        b.screenshot("14-role-users-tab");

        // it is Ana's only role now (the fallback role left when it came): the server's 409, in words, by the list
        b.click(row.findElement(By.cssSelector("button[aria-label^=Unassign]")));
        b.waitForText(By.cssSelector("tr[data-member='" + ana.userName() + "']"), "Will be unassigned on Save");
        b.click(By.cssSelector("button[type=submit].primary"));
        WebElement refused = b.waitFor(By.id("members-error"));
        assertTrue(refused.getText().startsWith("Conflict: " + ana.userName() + ":"), refused.getText());
        assertTrue(b.driver.findElement(By.id("save-error")).getText().startsWith("Conflict:"));
        assertTrue(b.driver.findElement(By.cssSelector("tr[data-member='" + ana.userName() + "']")).getText()
                .contains("Will be unassigned on Save"), "the choice is kept");
        b.screenshot("15-role-users-tab-refused");
        io.rollcall.support.AdminFixtures.bind("users", ana.id(), "inbox-agent", null);
        b.click(By.cssSelector("button[type=submit].primary"));
        b.waitForText(By.cssSelector(".notice"), "Saved Analyze manager: unassigned it from 1 holder");
        b.waitGone(By.cssSelector("tr[data-member='" + ana.userName() + "']"));
        assertFalse(io.rollcall.support.AdminFixtures.bindings("users", ana.id()).contains("analyze-manager local"));
    }

    @Test
    void rolesAreReadableOnAPhone() {
        Browser b = owner();
        b.phone();
        try {
            b.waitFor(By.cssSelector("tr[data-role=organization-owner]"));
            assertFalse(b.overflowsSideways(), "the roles list fits 390 px");
            b.screenshot("16-roles-390px");
            b.open("roles/new");
            b.waitFor(By.id("role-name"));
            assertFalse(b.overflowsSideways(), "the role editor fits 390 px");
            b.screenshot("17-role-editor-390px");
        } finally {
            b.wide();
        }
    }
}
