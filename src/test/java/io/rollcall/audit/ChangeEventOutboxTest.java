package io.rollcall.audit;

import static io.restassured.RestAssured.given;
import static io.rollcall.support.AdminFixtures.SCIM_JSON;
import static io.rollcall.support.AdminFixtures.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.rollcall.support.AccessRows;
import io.rollcall.support.AuditRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * Outbox rows ({@code change_events}, V15) are written only for the event types an organization subscribes to: an
 * organization without a subscription has every change audited and no outbox row, and one that subscribes to some types
 * gets rows (and pending deliveries) for those types only, including on the one-statement membership path. Each test
 * works in an organization of its own, so that no other class's subscription counts.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ChangeEventOutboxTest {

    private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
    private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private record Org(String id, String scimToken) {

        RequestSpecification scim(String request) {
            return given().auth().oauth2(scimToken).contentType(SCIM_JSON).header("X-Request-Id", request);
        }

        String createUser(String request) {
            return scim(request).body(Map.of("schemas", List.of(USER), "userName", unique("outbox") + "@example.com"))
                    .when().post("/scim/v2/Users").then().statusCode(201).extract().path("id");
        }

        void setActive(String request, String user, boolean active) {
            scim(request).body(Map.of("schemas", List.of(PATCH_OP), "Operations",
                    List.of(Map.of("op", "replace", "value", Map.of("active", active)))))
                    .when().patch("/scim/v2/Users/" + user).then().statusCode(200);
        }

        String createGroup(String request) {
            return scim(request).body(Map.of("schemas", List.of(GROUP), "displayName", unique("outbox")))
                    .when().post("/scim/v2/Groups").then().statusCode(201).extract().path("id");
        }

        void addMember(String request, String group, String user) {
            scim(request).body(Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(Map.of("op", "add", "path",
                    "members", "value", List.of(Map.of("value", user)))))).when().patch("/scim/v2/Groups/" + group)
                    .then().statusCode(204);
        }

        void removeMember(String request, String group, String user) {
            scim(request).body(Map.of("schemas", List.of(PATCH_OP), "Operations", List.of(Map.of("op", "remove",
                    "path", "members[value eq \"" + user + "\"]")))).when().patch("/scim/v2/Groups/" + group)
                    .then().statusCode(204);
        }

        String outboxRows() {
            return AccessRows.strings("SELECT count(*) FROM change_events WHERE org_id = CAST(? AS uuid)", id).get(0);
        }
    }

    private static Org newOrganization() {
        var created = Tokens.newOrganization(unique("Outbox"));
        return new Org(created.id(), Tokens.withRolesIn(created.token(), "scim-client"));
    }

    @Test
    void anOrganizationWithoutSubscriptionsHasEveryChangeAuditedAndNoOutboxRow() {
        Org org = newOrganization();
        List<String> requests = List.of(AuditRows.requestId(), AuditRows.requestId(), AuditRows.requestId(),
                AuditRows.requestId());
        String user = org.createUser(requests.get(0));
        org.setActive(requests.get(1), user, false);
        String group = org.createGroup(requests.get(2));
        org.addMember(requests.get(3), group, user);

        for (String request : requests) {
            assertFalse(AuditRows.audit(request).isEmpty(), "the change is audited");
            assertEquals(List.of(), AuditRows.events(request));
        }
        assertEquals("0", org.outboxRows());
    }

    @Test
    void aSubscriptionMadeAfterUnannouncedMembershipChangesGetsTheNextOnesOnBothOneStatementPaths() {
        Org org = newOrganization();
        String group = org.createGroup(AuditRows.requestId());
        String first = org.createUser(AuditRows.requestId());
        String second = org.createUser(AuditRows.requestId());
        String quiet = AuditRows.requestId();
        org.addMember(quiet, group, first);

        String subscription = AuditRows.subscribePaused(org.id(), "group.members_changed");
        String added = AuditRows.requestId();
        org.addMember(added, group, second);
        String removed = AuditRows.requestId();
        org.removeMember(removed, group, first);
        String addedAgain = AuditRows.requestId();
        org.addMember(addedAgain, group, first);
        AuditRows.unsubscribe(subscription);
        String unsubscribed = AuditRows.requestId();
        org.removeMember(unsubscribed, group, second);

        assertEquals(List.of(), AuditRows.events(quiet));
        assertEquals(List.of("group.members_changed Group " + group + " {\"added\": [\"" + second
                + "\"], \"removed\": []}"), AuditRows.events(added));
        assertEquals(List.of("group.members_changed Group " + group + " {\"added\": [], \"removed\": [\"" + first
                + "\"]}"), AuditRows.events(removed));
        assertEquals(List.of("group.members_changed Group " + group + " {\"added\": [\"" + first
                + "\"], \"removed\": []}"), AuditRows.events(addedAgain));
        assertEquals(List.of(), AuditRows.events(unsubscribed));
        for (String request : List.of(quiet, added, removed, addedAgain, unsubscribed)) {
            assertEquals(1, AuditRows.audit(request).size(), "one audit row for " + request);
        }
        assertEquals(List.of(first), AccessRows.strings("SELECT CAST(member_id AS text) FROM group_members "
                + "WHERE group_id = CAST(? AS uuid)", group));
    }

    @Test
    void onlyTheSubscribedTypesAreWrittenAndFannedOutAndNoneOnceUnsubscribed() {
        Org org = newOrganization();
        String subscription = AuditRows.subscribePaused(org.id(), "user.deactivated", "group.members_changed");

        String created = AuditRows.requestId();
        String user = org.createUser(created);
        String deactivated = AuditRows.requestId();
        org.setActive(deactivated, user, false);
        String group = org.createGroup(AuditRows.requestId());
        String added = AuditRows.requestId();
        org.addMember(added, group, user);

        // user.created and the fallback role's user.roles_changed are not subscribed to
        assertEquals(List.of(), AuditRows.events(created));
        assertEquals(List.of("user.deactivated User " + user + " {\"active\": false}"), AuditRows.events(deactivated));
        assertEquals(List.of("group.members_changed Group " + group + " {\"added\": [\"" + user + "\"], \"removed\": []}"),
                AuditRows.events(added));
        assertEquals("2", org.outboxRows());
        assertEquals(List.of("2"), AccessRows.strings("SELECT count(*) FROM event_deliveries "
                + "WHERE subscription_id = CAST(? AS uuid) AND state = 'pending'", subscription));

        AuditRows.unsubscribe(subscription);
        String activated = AuditRows.requestId();
        org.setActive(activated, user, true);
        assertEquals(List.of(), AuditRows.events(activated));
        assertEquals("2", org.outboxRows());
    }
}
