package io.rollcall.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The {@code events} claim of each Rollcall event type: the SCIM profile's URI where RFC 9967 §2.4 has one (notice
 * events with the changed attributes' names), and the profile's patch notice plus a Rollcall event for membership and
 * role changes, which the profile does not cover.
 */
class SecurityEventTokensTest {

    private static final String SCIM = "urn:ietf:params:scim:event:";

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
        "user.created     | prov:create:notice | {\"attributes\": [\"userName\", \"emails\"]} | {\"attributes\": [\"userName\", \"emails\"]}",
        "group.created    | prov:create:notice | {\"attributes\": [\"displayName\"]}          | {\"attributes\": [\"displayName\"]}",
        "user.updated     | prov:patch:notice  | {\"attributes\": [\"name\"]}                 | {\"attributes\": [\"name\"]}",
        "group.updated    | prov:patch:notice  | {}                                          | {\"attributes\": []}",
        "user.deactivated | prov:deactivate    | {\"active\": false}                          | {}",
        "user.activated   | prov:activate      | {\"active\": true}                           | {}",
        "user.deleted     | prov:delete        | {}                                          | {}",
        "group.deleted    | prov:delete        | {}                                          | {}" })
    void mapsLifecycleEventsToTheScimProfile_rfc9967_2_4(String type, String uri, String payload, String statement) {
        assertEquals(new JsonObject().put(SCIM + uri, new JsonObject(statement)),
                SecurityEventTokens.events(type, new JsonObject(payload)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "group.members_changed | members | {\"added\": [\"u1\"], \"removed\": [\"u2\"]}",
        "user.roles_changed    | roles   | {\"roles\": [\"inbox-agent\", \"campaign-manager@Marketing\"]}",
        "group.roles_changed   | roles   | {\"roles\": [\"inbox-agent\"]}" })
    void carriesMembershipAndRoleChangesAsAPatchNoticeAndARollcallEvent(String type, String attribute,
            String payload) {
        JsonObject events = SecurityEventTokens.events(type, new JsonObject(payload));
        assertEquals(List.of(SCIM + "prov:patch:notice", "urn:rollcall:scim:event:" + type),
                List.copyOf(events.fieldNames()));
        assertEquals(new JsonObject().put("attributes", new JsonArray().add(attribute)),
                events.getJsonObject(SCIM + "prov:patch:notice"));
        assertEquals(new JsonObject(payload), events.getJsonObject("urn:rollcall:scim:event:" + type));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = { "user.password_reset | {\"by\": \"admin\"}" })
    void carriesATypeAddedLaterAsARollcallEvent(String type, String payload) {
        assertEquals(new JsonObject().put("urn:rollcall:scim:event:" + type, new JsonObject(payload)),
                SecurityEventTokens.events(type, new JsonObject(payload)));
    }
}
