package io.rollcall.scim;

import static io.restassured.RestAssured.given;
import static io.rollcall.scim.GroupsFixtures.fixture;
import static io.rollcall.scim.GroupsFixtures.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;
import io.rollcall.support.UserFixtures;

/**
 * Filtering users on their {@code groups} sub-attributes (RFC 7644 §3.4.2.2) — {@code display}, {@code value},
 * {@code type} — as the representation shows {@code groups}: direct and indirect memberships (RFC 7643 §4.1.2), the
 * group's current displayName, in {@code /Users}, {@code /Users/.search} and {@code /.search}, and never another
 * organization's group.
 *
 * <p>The users, once per run: {@code ana} is in "Eng"; {@code bo} is in "Eng Platform", which is nested in "Eng";
 * {@code cy} is in "Sales"; {@code dee} is in no group. Each filter is scoped to the run's users by userName.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class UserGroupsFilterTest {

    private static String token;
    private static String run;
    private static String ana;
    private static String bo;
    private static String cy;
    private static String dee;
    private static String platform;

    @BeforeEach
    void usersInNestedGroups() {
        if (token != null) {
            return;
        }
        token = Tokens.scimClient();
        run = GroupsFixtures.unique("gf");
        ana = GroupsFixtures.createUser(token, run + "-ana@groups.example");
        bo = GroupsFixtures.createUser(token, run + "-bo@groups.example");
        cy = GroupsFixtures.createUser(token, run + "-cy@groups.example");
        dee = GroupsFixtures.createUser(token, run + "-dee@groups.example");
        platform = GroupsFixtures.createGroup(token, run + " Eng Platform", bo);
        GroupsFixtures.createGroup(token, run + " Eng", ana, platform);
        GroupsFixtures.createGroup(token, run + " Sales", cy);
    }

    @Test
    void rfc7644_3_4_2_2_groupsDisplayEqMatchesDirectAndIndirectMembersCaseInsensitively() {
        assertEquals(List.of(ana, bo), found("groups.display eq \"" + run.toUpperCase() + " ENG\""));
        assertEquals(List.of(bo), found("groups.display eq \"" + run + " Eng Platform\""));
        assertEquals(List.of(), found("groups.display eq \"" + run + " En\""));
    }

    @Test
    void rfc7644_3_4_2_2_groupsDisplayTakesCoSwEwAndPr() {
        assertEquals(List.of(bo), found("groups.display co \"platform\""));
        assertEquals(List.of(ana, bo), found("groups.display sw \"" + run + " Eng\""));
        assertEquals(List.of(cy), found("groups.display ew \" sales\""));
        assertEquals(List.of(ana, bo, cy), found("groups.display pr"));
        assertEquals(List.of(), found("groups.display co \"%\""), "% is a character, not a wildcard");
    }

    @Test
    void rfc7644_3_4_2_2_notAndOrOverGroupsDisplay() {
        assertEquals(List.of(cy, dee), found("not (groups.display eq \"" + run + " Eng\")"));
        assertEquals(List.of(bo, cy), found("groups.display eq \"" + run + " Sales\" or groups.display co \"platform\""));
        assertEquals(List.of(cy, dee), found("groups.display ne \"" + run + " Eng\""),
                "ne: no group of the user is named so");
    }

    @Test
    void rfc7643_4_1_2_groupsTypeSaysDirectOrIndirectAsTheRepresentationDoes() {
        assertEquals(List.of(bo), found("groups.type eq \"indirect\""));
        assertEquals(List.of(ana, bo, cy), found("groups.type eq \"direct\""));
        assertEquals(List.of(ana), found("groups[display eq \"" + run + " Eng\" and type eq \"direct\"]"));
        assertEquals(List.of(bo), found("groups[display eq \"" + run + " Eng\" and type eq \"indirect\"]"));
        assertEquals(List.of("indirect"), given().auth().oauth2(token).when().get("/scim/v2/Users/" + bo)
                .then().statusCode(200).extract().jsonPath()
                .getList("groups.findAll { it.display == '" + run + " Eng' }.type"));
    }

    @Test
    void rfc7644_3_4_2_2_aValueFilterJudgesOneGroupNotTwo() {
        // bo's groups are "Eng Platform" (direct) and "Eng" (indirect): no one group is both Platform and direct-less
        assertEquals(List.of(), found("groups[display co \"platform\" and type eq \"indirect\"]"));
        assertEquals(List.of(bo), found("groups[value eq \"" + platform + "\" and display co \"platform\"]"));
        assertEquals(List.of(), found("groups[value eq \"" + platform + "\" and display eq \"" + run + " Eng\"]"));
    }

    @Test
    void rfc7644_3_4_2_2_groupsDisplayFollowsARenamedGroup() {
        // a user and group of their own, outside the run's users that the other tests count
        String renamedRun = GroupsFixtures.unique("gf-renamed");
        String eve = GroupsFixtures.createUser(token, renamedRun + "-eve@groups.example");
        String group = GroupsFixtures.createGroup(token, renamedRun + " Before", eve);
        GroupsFixtures.scim(token).body(fixture("patch-rename-okta.json", values("groupId", group,
                "displayName", renamedRun + " After"))).when().patch("/scim/v2/Groups/" + group).then().statusCode(204);
        assertEquals(List.of(eve), ids("groups.display eq \"" + renamedRun + " After\""));
        assertEquals(List.of(), ids("groups.display eq \"" + renamedRun + " Before\""));
    }

    @Test
    void rfc7644_3_4_2_4_sortingAndPagingApplyToTheFilteredUsers() {
        JsonPath page = given().auth().oauth2(token)
                .queryParam("filter", scoped("groups.display sw \"" + run + "\""))
                .queryParam("sortBy", "userName").queryParam("sortOrder", "descending")
                .queryParam("startIndex", 2).queryParam("count", 1)
                .when().get("/scim/v2/Users").then().statusCode(200).extract().jsonPath();
        assertEquals(3, page.getInt("totalResults"));
        assertEquals(2, page.getInt("startIndex"));
        assertEquals(List.of(bo), page.getList("Resources.id"), "descending: cy, bo, ana");
    }

    @Test
    void rfc7644_3_4_3_usersSearchFiltersOnGroupsDisplay() {
        JsonPath body = GroupsFixtures.scim(token)
                .body(UserFixtures.fixture("search-filter.json", Map.of("filter",
                        jsonString(scoped("groups.display eq \"" + run + " Eng\"")))))
                .when().post("/scim/v2/Users/.search").then().statusCode(200).extract().jsonPath();
        assertEquals(2, body.getInt("totalResults"));
        assertEquals(List.of(ana, bo), sortedIds(body));
    }

    @Test
    void rfc7644_3_4_3_rootSearchFiltersUsersOnGroupsDisplayAndNoGroupHasGroups() {
        String filter = "groups.display eq \"" + run + " Eng\" or displayName eq \"" + run + " Sales\"";
        JsonPath body = GroupsFixtures.scim(token)
                .body(UserFixtures.fixture("search-filter.json", Map.of("filter", jsonString(filter))))
                .when().post("/scim/v2/.search").then().statusCode(200).extract().jsonPath();
        // the users in Eng (ana directly, bo through Eng Platform), and the group Sales by its own displayName
        assertEquals(3, body.getInt("totalResults"));
        assertEquals(List.of("Group", "User", "User"),
                body.getList("Resources.meta.resourceType", String.class).stream().sorted().toList());
    }

    @Test
    void organizationIsolation_anotherOrganizationsGroupOfTheSameNameNeverMatches() {
        Tokens.CreatedKey other = Tokens.newOrganization(GroupsFixtures.unique("groups-filter-org"));
        String otherToken = Tokens.withRolesIn(other.token(), "scim-client");
        String stranger = GroupsFixtures.createUser(otherToken, run + "-stranger@groups.example");
        GroupsFixtures.createGroup(otherToken, run + " Eng", stranger);
        GroupsFixtures.createGroup(otherToken, run + " Only Elsewhere", stranger);

        assertEquals(List.of(ana, bo), found("groups.display eq \"" + run + " Eng\""));
        assertEquals(List.of(), found("groups.display eq \"" + run + " Only Elsewhere\""));
        JsonPath theirs = given().auth().oauth2(otherToken)
                .queryParam("filter", scoped("groups.display eq \"" + run + " Eng\""))
                .when().get("/scim/v2/Users").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(stranger), theirs.getList("Resources.id"));
    }

    @Test
    void rfc7644_3_4_2_2_groupsRefSubAttributeIsInvalidFilterNamingWhatCanBeFiltered() {
        given().auth().oauth2(token).queryParam("filter", "groups.$ref eq \"x\"")
                .when().get("/scim/v2/Users").then().statusCode(400)
                .body("scimType", org.hamcrest.Matchers.equalTo("invalidFilter"))
                .body("detail", org.hamcrest.Matchers.containsString("groups.value, groups.display or groups.type"));
    }

    /** The run's users matching the filter, by userName. */
    private static List<String> found(String filter) {
        return ids(scoped(filter));
    }

    private static List<String> ids(String filter) {
        return given().auth().oauth2(token).queryParam("filter", filter).queryParam("sortBy", "userName")
                .when().get("/scim/v2/Users").then().statusCode(200).extract().jsonPath().getList("Resources.id");
    }

    private static String scoped(String filter) {
        return "userName sw \"" + run + "-\" and (" + filter + ")";
    }

    private static List<String> sortedIds(JsonPath body) {
        List<String> order = List.of(ana, bo, cy, dee);
        return body.getList("Resources.id", String.class).stream().sorted((a, b) -> order.indexOf(a) - order.indexOf(b))
                .toList();
    }

    private static String jsonString(String text) {
        String quoted = com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
        return quoted.substring(1, quoted.length() - 1);
    }
}
