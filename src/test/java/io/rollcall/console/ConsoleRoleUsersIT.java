package io.rollcall.console;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.SCIM_JSON;
import static io.rollcall.support.AdminFixtures.asOwner;
import static io.rollcall.support.AdminFixtures.bind;
import static io.rollcall.support.AdminFixtures.bindings;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import io.rollcall.support.AdminFixtures;
import io.rollcall.support.Tokens;

/**
 * A role's Users tab in Chromium: users picked in the "All users" side panel (searched and paged by the server) are
 * listed with name and username and assigned on Save, also on a role not created yet; ✕ unassigns on Save; groups and
 * access keys holding the role are shown as such; there is no last login to show, and the page says so. Refusals (a
 * picked user deleted meanwhile, 404; a grant the key may not make, 403) appear next to the list and Save, and what
 * was not done stays in the list.
 */
class ConsoleRoleUsersIT extends ConsoleEndToEnd {

    record Person(String id, String userName, String displayName) {
    }

    /** A user pushed by the IdP with a display name, as Okta and Entra ID send them. */
    static Person person(String userName, String displayName) {
        String id = given().auth().oauth2(AdminFixtures.scimToken()).contentType(SCIM_JSON)
                .body(Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"), "userName", userName,
                        "displayName", displayName))
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
        return new Person(id, userName, displayName);
    }

    static String createRole(String name, List<String> permissions) {
        return asOwner().body(Map.of("name", name, "permissions", permissions)).when().post("/admin/v1/roles").then()
                .statusCode(201).extract().path("id");
    }

    /** Picks the people in the "All users" panel; the search must find exactly them. */
    private static void pick(Browser b, String search, Person... people) {
        b.click(By.id("select-users"));
        b.waitFor(By.cssSelector("dialog[open] #user-search"));
        assertEquals(b.driver.findElement(By.id("user-search")), b.focused(), "focus starts in the search field");
        b.type(By.id("user-search"), search);
        int n = people.length;
        b.waitForText(By.id("user-count"), "Showing " + n + " of " + n + " user");
        for (Person p : people) {
            b.click(b.waitFor(By.id("pick-" + p.id())));
        }
        b.click(By.xpath("//dialog//button[starts-with(normalize-space(), 'Add ')]"));
        b.waitGone(By.cssSelector("dialog[open]"));
    }

    private static By row(String userName) {
        return By.cssSelector("table.members tr[data-member='" + userName + "']");
    }

    @Test
    void aNewRolesUsersArePickedBeforeItExistsAndCreateAssignsThemARefusalKeepsTheRest() {
        String word = unique("Newrole");
        Person ada = person(word + "-ada@example.com", "Ada Lovelace");
        Person bob = person(word + "-bob@example.com", "Bob Kahn");
        Person cy = person(word + "-cy@example.com", "Cy Young");
        Browser b = as(Tokens.owner());
        b.open("roles/new");
        String name = unique("Night shift");
        b.type(By.id("role-name"), name);
        b.click(By.id("tab-access"));
        b.click(b.waitFor(By.cssSelector("details[data-section=Reports] summary")));
        b.click(By.id("perm-reports:read"));

        b.click(By.id("tab-users"));
        b.waitForText(By.cssSelector("#panel-users .empty"), "Select users");
        assertTrue(b.driver.findElement(By.id("last-login-note")).getText().contains("no last login"),
                "the page says why there is no last login");
        pick(b, word, ada, bob, cy);
        WebElement adaRow = b.waitFor(row(ada.userName()));
        assertTrue(adaRow.getText().contains("Ada Lovelace") && adaRow.getText().contains(ada.userName())
                && adaRow.getText().contains("Will be assigned on Save"), adaRow.getText());
        assertEquals(3, b.all(By.cssSelector("table.members tr.added")).size());
        // ✕ on a picked user takes it out of the list again
        b.click(By.cssSelector("button[aria-label='Unassign this role from Cy Young']"));
        b.waitGone(row(cy.userName()));
        b.screenshot("22-role-new-users");

        // meanwhile the IdP deletes Bob: the role is created, Ada assigned, Bob refused by the list, still listed
        given().auth().oauth2(AdminFixtures.scimToken()).when().delete("/scim/v2/Users/" + bob.id()).then()
                .statusCode(204);
        b.click(By.cssSelector("button[type=submit].primary"));
        WebElement refused = b.waitFor(By.id("members-error"));
        assertTrue(refused.getText().startsWith("Not found: Bob Kahn:"), refused.getText());
        assertTrue(b.driver.findElement(By.id("save-error")).getText().startsWith("Not found: Bob Kahn:"));
        b.waitForText(By.cssSelector("main h1"), name);
        assertTrue(b.driver.findElement(By.cssSelector(".notice")).getText()
                .contains("Created " + name + ": assigned it to 1 user"));
        WebElement bobRow = b.driver.findElement(row(bob.userName()));
        assertTrue(bobRow.getAttribute("class").contains("refused") && bobRow.getText().contains("Will be assigned"),
                bobRow.getText());
        b.screenshot("23-role-new-users-refused");
        String roleId = asOwner().queryParam("search", name).when().get("/admin/v1/roles").then().extract()
                .path("items[0].id");
        assertTrue(((String) b.script("return window.location.hash;")).endsWith(roleId),
                "the address is the created role's");
        assertTrue(bindings("users", ada.id()).contains(valueOf(roleId) + " local"));
        assertEquals("Save", b.driver.findElement(By.cssSelector("button[type=submit].primary")).getText().trim(),
                "saving again does not create a second role");

        // Bob out of the list, Save: Ada holds it, the role's definition is as it was
        b.click(By.cssSelector("button[aria-label='Unassign " + name + " from Bob Kahn']"));
        b.click(By.cssSelector("button[type=submit].primary"));
        b.waitForText(By.cssSelector(".notice"), "Nothing to save: " + name + " is as shown");
        b.waitGone(By.id("members-error"));
        WebElement held = b.waitFor(By.cssSelector("table.members tr:not(.added)[data-member='" + ada.userName() + "']"));
        assertTrue(held.getText().contains("Ada Lovelace") && held.getText().contains("Updated "), held.getText());
        assertEquals(1, asOwner().queryParam("search", name).when().get("/admin/v1/roles").then().extract().jsonPath()
                .getInt("totalResults"), "one role");
        assertEquals(List.of(ada.id()), asOwner().when().get("/admin/v1/roles/" + roleId + "/members").then().extract()
                .jsonPath().getList("items.id"));
    }

    /** The value the server gave the role (the user's bindings are listed by value). */
    private static String valueOf(String roleId) {
        return asOwner().when().get("/admin/v1/roles/" + roleId).then().extract().path("value");
    }

    @Test
    void groupsAndAccessKeysHoldingTheRoleAreShownAsSuchAGroupIsUnassignedOnSaveAndTheIdpsBindingIsNot() {
        String name = unique("Floor managers");
        String roleId = createRole(name, List.of("reports:read"));
        String groupName = unique("Floor team");
        String group = AdminFixtures.createGroup(groupName);
        bind("groups", group, roleId, null);
        String keyName = unique("Floor robot");
        String keyToken = Tokens.createKey(Map.of("name", keyName, "roles", List.of(roleId))).token();
        AdminFixtures.as(keyToken).when().get("/admin/v1/me").then().statusCode(200);
        // the IdP assigns the role to a user itself (SCIM roles): the console may not take it away
        String value = valueOf(roleId);
        String deeName = unique("dee") + "@example.com";
        String deeId = given().auth().oauth2(Tokens.withRoles("scim-client", "organization-owner"))
                .contentType(SCIM_JSON).body(Map.of("schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
                        "userName", deeName, "displayName", "Dee Dee", "roles", List.of(value)))
                .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
        Person dee = new Person(deeId, deeName, "Dee Dee");

        Browser b = as(Tokens.owner());
        b.open("roles/" + roleId);
        b.waitForText(By.cssSelector("main h1"), name);
        b.click(By.id("tab-users"));
        WebElement groupRow = b.waitFor(By.cssSelector("tr[data-kind=group]"));
        assertTrue(groupRow.getText().contains(groupName) && groupRow.getText().contains("Group"), groupRow.getText());
        WebElement keyRow = b.driver.findElement(By.cssSelector("tr[data-kind=access_key]"));
        assertTrue(keyRow.getText().contains(keyName) && keyRow.getText().contains("Used ")
                && keyRow.getText().contains("Set on the access key"), keyRow.getText());
        assertTrue(keyRow.findElements(By.cssSelector("button[aria-label^=Unassign]")).isEmpty());
        WebElement deeRow = b.driver.findElement(row(dee.userName()));
        assertTrue(deeRow.getText().contains("From your identity provider")
                && deeRow.getText().contains("Managed by your IdP"), deeRow.getText());
        assertTrue(deeRow.findElements(By.cssSelector("button[aria-label^=Unassign]")).isEmpty());
        b.screenshot("24-role-users-groups-and-keys");

        b.click(groupRow.findElement(By.cssSelector("button[aria-label^=Unassign]")));
        b.waitForText(By.cssSelector("tr[data-kind=group]"), "Will be unassigned on Save");
        // changed my mind, then again
        b.click(By.xpath("//tr[@data-kind='group']//button[normalize-space()='Keep']"));
        b.waitFor(By.cssSelector("tr[data-kind=group] button[aria-label^=Unassign]"));
        b.click(By.cssSelector("tr[data-kind=group] button[aria-label^=Unassign]"));
        b.click(By.cssSelector("button[type=submit].primary"));
        b.waitForText(By.cssSelector(".notice"), "unassigned it from 1 holder");
        b.waitGone(By.cssSelector("tr[data-kind=group]"));
        assertEquals(List.of(), bindings("groups", group));
        assertTrue(bindings("users", dee.id()).contains(value + " scim"));
    }

    @Test
    void usersHoldingTheRoleThroughAGroupAreListedWithTheGroupAndCannotBeUnassignedThere() {
        String name = unique("Night shift");
        String roleId = createRole(name, List.of("reports:read"));
        Person ana = person(unique("ana") + "@example.com", "Ana Through");
        Person bo = person(unique("bo") + "@example.com", "Bo Nested");
        String nested = AdminFixtures.createGroup(unique("Night juniors"), bo.id());
        String groupName = unique("Night team");
        String group = AdminFixtures.createGroup(groupName, ana.id(), nested);
        bind("groups", group, roleId, null);

        Browser b = as(Tokens.owner());
        b.open("roles/" + roleId);
        b.waitForText(By.cssSelector("main h1"), name);
        b.click(By.id("tab-users"));
        for (Person person : List.of(ana, bo)) { // Bo through the group nested in the team: the team's binding
            WebElement via = b.waitFor(row(person.userName()));
            String text = via.getText();
            assertTrue(text.contains(person.displayName()) && text.contains(person.userName())
                    && text.contains("Through group " + groupName), text);
            assertTrue(text.contains("Holds it through the group " + groupName + ": unassign the role from the group"),
                    text);
            assertTrue(via.findElements(By.cssSelector("button[aria-label^=Unassign]")).isEmpty(),
                    "a user cannot lose a group's role alone");
        }
        b.waitForText(By.id("members-count"), "Showing 3 of 3 holders");
        assertTrue(b.fitsSideways(b.driver.findElement(By.cssSelector(".table-wrap:has(table.members)"))),
                "the why of a row does not stretch the list beyond the page");
        b.screenshot("44-role-users-through-group");

        // the group's name leads to the group's row, where its binding can be unassigned
        b.click(b.driver.findElement(row(ana.userName())).findElement(By.xpath(".//button[normalize-space()='"
                + groupName + "']")));
        WebElement groupRow = b.driver.findElement(By.cssSelector("tr[data-kind=group][data-id='" + group + "']"));
        b.until(d -> groupRow.equals(b.focused()));
        assertTrue(groupRow.findElement(By.cssSelector("button[aria-label^=Unassign]")).isEnabled());

        b.phone();
        try {
            WebElement list = b.driver.findElement(By.cssSelector("table.members"));
            b.until(d -> b.fitsSideways(list));
            assertFalse(b.overflowsSideways(), "the rows of users holding it through a group fit 390 px");
            assertTrue(b.driver.findElement(row(bo.userName())).getText().contains("Through group " + groupName));
            b.screenshot("48-role-users-through-group-390px");
        } finally {
            b.wide();
        }
    }

    @Test
    void aRoleWithMoreThanFiftyHoldersShowsTheRestOnDemand() {
        String word = unique("Crowded");
        String roleId = createRole(unique("Crowded role"), List.of("reports:read"));
        List<String> ids = new java.util.ArrayList<>();
        List<Person> crowd = new java.util.ArrayList<>();
        for (int i = 0; i < 52; i++) {
            Person person = person(String.format("%s-%02d@example.com", word, i), "Holder " + i);
            crowd.add(person);
            ids.add(person.id());
        }
        bind("groups", AdminFixtures.createGroup(unique("Crowd"), ids.toArray(String[]::new)), roleId, null);

        Browser b = as(Tokens.owner());
        b.open("roles/" + roleId);
        b.click(b.waitFor(By.id("tab-users")));
        b.waitForText(By.id("members-count"), "Showing 50 of 53 holders");
        assertTrue(b.all(row(crowd.get(51).userName())).isEmpty(), "the last holders are on the next page");
        b.click(By.id("more-members"));
        b.waitForText(By.id("members-count"), "Showing 53 of 53 holders");
        b.waitFor(row(crowd.get(51).userName()));
        assertEquals(53, b.all(By.cssSelector("table.members tbody tr")).size());
        assertTrue(b.all(By.id("more-members")).isEmpty(), "nothing more to show");
        b.screenshot("45-role-users-show-more");
    }

    @Test
    void aGrantTheKeyMayNotMakeIsRefusedByTheListAndThePickKept() {
        String name = unique("Launchers");
        String roleId = createRole(name, List.of("campaigns:launch"));
        Person eve = person(unique("eve") + "@example.com", "Eve Arden");
        // account admin may assign roles, but not one granting campaign permissions it does not hold itself
        String accountAdmin = Tokens.createKey(Map.of("name", unique("Account admin"), "roles",
                List.of("account-admin"))).token();
        Browser b = as(accountAdmin);
        b.open("roles/" + roleId);
        b.waitForText(By.cssSelector("main h1"), name);
        assertTrue(b.driver.findElement(By.id("role-name")).getAttribute("disabled") != null,
                "no roles:manage: the definition is read-only");
        b.click(By.id("tab-users"));
        pick(b, eve.userName(), eve);
        b.click(By.cssSelector("button[type=submit].primary"));
        WebElement problem = b.waitFor(By.id("members-error"));
        assertTrue(problem.getText().startsWith("Not allowed: Eve Arden:"), problem.getText());
        assertTrue(b.driver.findElement(row(eve.userName())).getText().contains("Will be assigned on Save"));
        b.screenshot("25-role-users-403");
        assertFalse(bindings("users", eve.id()).stream().anyMatch(s -> s.contains("local")));
    }

    @Test
    void theUsersListAndTheSelectUsersPanelPageBeyondFiftyUsers() {
        String word = unique("Crowd");
        List<Person> crowd = new java.util.ArrayList<>();
        for (int i = 0; i < 55; i++) {
            crowd.add(person(String.format("%s-%02d@example.com", word, i), "Paged member " + i));
        }
        Browser b = as(Tokens.owner());
        b.click(By.cssSelector("nav a[href='#/users']"));
        b.type(By.id("users-search"), word);
        b.waitForText(By.id("users-range"), "Showing 1–50 of 55");
        assertEquals(50, b.all(By.cssSelector("table.users tbody tr")).size());
        b.click(By.xpath("//button[normalize-space()='Next page']"));
        b.waitForText(By.id("users-range"), "Showing 51–55 of 55");
        assertEquals(5, b.all(By.cssSelector("table.users tbody tr")).size());
        b.waitFor(By.cssSelector("tr[data-user='" + crowd.get(54).userName() + "']"));
        b.screenshot("26-users-paged");
        b.click(By.xpath("//button[normalize-space()='Previous page']"));
        b.waitForText(By.id("users-range"), "Showing 1–50 of 55");

        b.open("roles/" + asOwner().queryParam("search", "Analyze manager").when().get("/admin/v1/roles").then()
                .extract().path("items[0].id"));
        b.waitForText(By.cssSelector("main h1"), "Analyze manager");
        b.click(By.id("select-users"));
        b.type(By.id("user-search"), word);
        b.waitForText(By.id("user-count"), "Showing 50 of 55 users");
        b.click(By.xpath("//dialog//button[starts-with(normalize-space(), 'Show more users')]"));
        b.waitForText(By.id("user-count"), "Showing 55 of 55 users");
        b.click(By.id("pick-" + crowd.get(54).id()));
        b.click(By.xpath("//dialog//button[starts-with(normalize-space(), 'Add 1 user')]"));
        b.waitFor(By.cssSelector("tr.added[data-member='" + crowd.get(54).userName() + "']"));
        b.click(By.cssSelector("button[type=submit].primary"));
        b.waitForText(By.cssSelector(".notice"), "assigned it to 1 user");
        assertTrue(bindings("users", crowd.get(54).id()).contains("analyze-manager local"));
    }

    @Test
    void theUsersTabAndTheSidePanelAreReadableOnAPhone() {
        String word = unique("Phone");
        Person longName = person(word + "-" + "y".repeat(120) + "@example.com", "Someone with a very long user name");
        String roleId = createRole(unique("Phone role"), List.of("reports:read"));
        bind("users", longName.id(), roleId, null);
        Browser b = as(Tokens.owner());
        b.phone();
        try {
            b.open("roles/" + roleId);
            b.click(b.waitFor(By.id("tab-users")));
            b.waitFor(row(longName.userName()));
            assertFalse(b.overflowsSideways(), "the Users tab fits 390 px");
            b.screenshot("27-role-users-390px");
            b.click(By.id("select-users"));
            b.type(By.id("user-search"), word);
            b.waitForText(By.id("user-count"), "Showing 1 of 1 user");
            b.waitFor(By.id("pick-" + longName.id()));
            assertFalse(b.overflowsSideways(), "the All users panel fits 390 px");
            b.screenshot("28-select-users-390px");
            b.click(By.xpath("//dialog//button[normalize-space()='Cancel']"));
            b.waitGone(By.cssSelector("dialog[open]"));
        } finally {
            b.wide();
        }
    }
}
