package io.rollcall.console;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.SCIM_JSON;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.bindings;
import static io.rollcall.support.AdminFixtures.createGroup;
import static io.rollcall.support.AdminFixtures.createUser;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.rollcall.support.AdminFixtures.User;
import io.rollcall.support.Tokens;

/**
 * The Users page and Edit user → Access roles in Chromium: search, add and remove roles with "Update roles", the last
 * role kept (the control says why, and the server's 409 when raced), roles from the IdP or a group shown as such and
 * not removable, and a 403 for a grant the signed-in key may not make.
 */
class ConsoleUsersIT extends ConsoleEndToEnd {

    private static void addRole(Browser b, String roleName) {
        new Select(b.waitFor(By.id("add-role"))).selectByVisibleText(roleName);
        b.click(By.xpath("//div[@class='add-role']/button[normalize-space()='Add']"));
    }

    @Test
    void searchFindsAUserAndEditUserAddsAndRemovesRoles() {
        User ana = createUser(); // holds only the fallback role
        Browser b = as(Tokens.owner());
        b.click(By.cssSelector("nav a[href='#/users']"));
        b.type(By.id("users-search"), ana.userName().substring(0, 13).toUpperCase());
        b.until(d -> b.all(By.cssSelector("table.users tbody tr")).size() == 1);
        WebElement row = b.driver.findElement(By.cssSelector("tr[data-user='" + ana.userName() + "']"));
        assertTrue(row.getText().contains("Knowledge base user"), row.getText());
        b.screenshot("29-users-search");
        b.click(row.findElement(By.cssSelector(".kebab")));
        b.click(By.xpath("//button[@role='menuitem'][normalize-space()='Edit user']"));
        b.waitForText(By.cssSelector("main h1"), "Edit user");

        // the only role cannot be removed, and the control says why
        WebElement fallback = b.waitFor(By.cssSelector("li[data-role=knowledge-base-user]"));
        assertFalse(fallback.findElement(By.cssSelector("button[aria-label^=Remove]")).isEnabled());
        assertTrue(fallback.getText().contains("Every user keeps at least one role"), fallback.getText());
        assertTrue(fallback.getText().contains("Fallback role"), fallback.getText());

        addRole(b, "Inbox Agent");
        addRole(b, "Campaign manager");
        b.waitForText(By.cssSelector("ul.bindings"), "will be added");
        b.screenshot("30-edit-user-pending");
        b.click(By.xpath("//button[normalize-space()='Update roles']"));
        b.waitForText(By.cssSelector(".notice"), "Access roles updated");
        b.waitFor(By.cssSelector("li[data-role=inbox-agent]"));
        assertEquals(List.of("campaign-manager local", "inbox-agent local"), bindings("users", ana.id()).stream().sorted().toList());

        b.click(By.cssSelector("li[data-role=campaign-manager] button[aria-label^=Remove]"));
        b.waitForText(By.cssSelector("li[data-role=campaign-manager]"), "will be removed");
        // now Inbox Agent is the last one left: its control is disabled and says why
        assertFalse(b.driver.findElement(By.cssSelector("li[data-role=inbox-agent] button[aria-label^=Remove]")).isEnabled());
        b.click(By.xpath("//button[normalize-space()='Update roles']"));
        b.waitGone(By.cssSelector("li[data-role=campaign-manager]"));
        assertEquals(List.of("inbox-agent local"), bindings("users", ana.id()));
        b.screenshot("31-edit-user");
    }

    @Test
    void whenAnotherAdministratorRemovedTheOtherRoleMeanwhileTheServers409IsShownAndTheChoiceKept() {
        User bo = createUser();
        bind("users", bo.id(), "inbox-agent", null);
        String campaign = bind("users", bo.id(), "campaign-manager", null);
        Browser b = as(Tokens.owner());
        b.open("users/" + bo.id());
        b.click(By.cssSelector("li[data-role=inbox-agent] button[aria-label^=Remove]"));
        // meanwhile, elsewhere: the other role goes
        asOwner().when().delete("/admin/v1/users/" + bo.id() + "/roles/" + campaign).then().statusCode(204);
        b.click(By.xpath("//button[normalize-space()='Update roles']"));
        WebElement problem = b.waitFor(By.id("update-error"));
        assertTrue(problem.getText().startsWith("Conflict:"), problem.getText());
        assertTrue(b.waitFor(By.cssSelector("li[data-role=inbox-agent]")).getText().contains("will be removed"),
                "the user's choice is kept");
        b.screenshot("32-edit-user-409");
        assertEquals(List.of("inbox-agent local"), bindings("users", bo.id()));
    }

    @Test
    void rolesFromTheIdentityProviderOrAGroupAreShownAsSuchAndNotRemovable() {
        String idp = Tokens.withRoles("scim-client", "organization-owner");
        String userName = unique("cy") + "@example.com";
        String id = given().auth().oauth2(idp).contentType(SCIM_JSON)
                .body(Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", userName,
                        "displayName", "Cy from the IdP", "roles", List.of("campaign-manager")))
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
        String groupName = unique("Support team");
        String group = createGroup(groupName, id);
        bind("groups", group, "inbox-agent", null);
        bind("users", id, "analyze-manager", null);

        Browser b = as(Tokens.owner());
        b.open("users/" + id);
        WebElement fromIdp = b.waitFor(By.cssSelector("li[data-role=campaign-manager]"));
        assertTrue(fromIdp.getText().contains("From your identity provider"), fromIdp.getText());
        assertTrue(fromIdp.findElements(By.cssSelector("button[aria-label^=Remove]")).isEmpty());
        WebElement fromGroup = b.driver.findElement(By.cssSelector("li[data-role=inbox-agent]"));
        assertTrue(fromGroup.getText().contains("Through group " + groupName), fromGroup.getText());
        assertTrue(fromGroup.getText().contains("change it on the group"), fromGroup.getText());
        assertTrue(fromGroup.findElements(By.cssSelector("button[aria-label^=Remove]")).isEmpty());
        assertTrue(b.driver.findElement(By.cssSelector("li[data-role=analyze-manager] button[aria-label^=Remove]")).isEnabled());
        b.screenshot("33-edit-user-idp-and-group");
    }

    @Test
    void aGrantTheKeyMayNotMakeIsRefusedInWordsAndTheChoiceKept() {
        User dee = createUser();
        String accountAdmin = Tokens.createKey(Map.of("name", unique("Account admin"), "roles", List.of("account-admin")))
                .token();
        Browser b = as(accountAdmin);
        b.open("users/" + dee.id());
        addRole(b, "Campaign manager"); // account admin lacks the campaign permissions it grants
        b.click(By.xpath("//button[normalize-space()='Update roles']"));
        WebElement problem = b.waitFor(By.id("update-error"));
        assertTrue(problem.getText().startsWith("Not allowed:"), problem.getText());
        assertTrue(b.driver.findElement(By.cssSelector("ul.bindings")).getText().contains("will be added"));
        b.screenshot("34-edit-user-403");
        assertEquals(List.of("knowledge-base-user system"), bindings("users", dee.id()));
    }

    @Test
    void usersAreReadableOnAPhone() {
        User eve = createUser();
        // an IdP may send a user name of hundreds of characters without a space
        String longName = "x".repeat(200) + unique("") + "@example.com";
        given().auth().oauth2(io.rollcall.support.AdminFixtures.scimToken()).contentType(SCIM_JSON)
                .body(Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", longName))
                .when().post("/scim/v2/Users").then().statusCode(201);
        Browser b = as(Tokens.owner());
        b.phone();
        try {
            b.open("users");
            b.type(By.id("users-search"), "x".repeat(200));
            b.waitFor(By.cssSelector("tr[data-user='" + longName + "']"));
            assertFalse(b.overflowsSideways(), "the users list fits 390 px");
            b.open("users/" + eve.id());
            b.waitFor(By.id("add-role"));
            assertFalse(b.overflowsSideways(), "Edit user fits 390 px");
            b.screenshot("35-edit-user-390px");
        } finally {
            b.wide();
        }
    }

    @Test
    void thePagedUsersListFitsAPhoneWithItsPageControlsReachable() {
        String word = unique("Pocket");
        for (int i = 0; i < 51; i++) {
            given().auth().oauth2(io.rollcall.support.AdminFixtures.scimToken()).contentType(SCIM_JSON)
                    .body(Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                            "userName", String.format("%s-%02d-%s@example.com", word, i, "z".repeat(40)),
                            "displayName", "Pocket reader number " + i))
                    .when().post("/scim/v2/Users").then().statusCode(201);
        }
        Browser b = as(Tokens.owner());
        b.phone();
        try {
            b.open("users");
            b.type(By.id("users-search"), word);
            b.waitForText(By.id("users-range"), "Showing 1–50 of 51");
            assertFalse(b.overflowsSideways(), "a full page of users fits 390 px");
            b.assertReachable(b.driver.findElement(By.id("users-search")), "the search field");
            b.assertReachable(b.driver.findElement(By.xpath("//button[normalize-space()='Next page']")), "Next page");
            b.assertReachable(b.driver.findElement(By.cssSelector("table.users tbody tr:last-child .kebab")),
                    "the last user's menu");
            b.screenshot("47-users-paged-390px");
            b.click(By.xpath("//button[normalize-space()='Next page']"));
            b.waitForText(By.id("users-range"), "Showing 51–51 of 51");
            assertFalse(b.overflowsSideways(), "the second page fits 390 px");
            b.assertReachable(b.driver.findElement(By.xpath("//button[normalize-space()='Previous page']")),
                    "Previous page");
        } finally {
            b.wide();
        }
    }
}
