package io.rollcall.scim;

import static io.rollcall.scim.GroupsFixtures.GROUPS;
import static io.rollcall.scim.GroupsFixtures.createGroup;
import static io.rollcall.scim.GroupsFixtures.createUser;
import static io.rollcall.scim.GroupsFixtures.unique;
import static io.rollcall.support.UserFixtures.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rollcall.support.AccessRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * A group's representation without {@code attributes}/{@code excludedAttributes} is written while its members are read
 * (RFC 7643 §4.2: members with {@code value}, {@code $ref}, {@code display}, {@code type}); it must be the very document
 * the projected path builds, and a group far larger than one read of members must come whole, each member once, in id
 * order.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class GroupRepresentationTest {

    @Test
    void rfc7643_4_2_theDefaultRepresentationIsTheDocumentTheProjectedPathBuilds() {
        String token = Tokens.scimClient();
        String user = createUser(token, unique("member") + "@example.com");
        String nested = createGroup(token, unique("Nested \"quoted\" \\ group"));
        String id = createGroup(token, unique("Parent"), user, nested);

        JsonNode whole = tree(GroupsFixtures.scim(token).when().get(GROUPS + "/" + id).then().statusCode(200).extract()
                .response());
        JsonNode projected = tree(GroupsFixtures.scim(token).queryParam("excludedAttributes", "externalId")
                .when().get(GROUPS + "/" + id).then().statusCode(200).extract().response());

        assertTrue(whole.has("externalId"));
        ObjectNode withoutExternalId = ((ObjectNode) whole).deepCopy();
        withoutExternalId.remove("externalId");
        assertEquals(projected, withoutExternalId);
        assertEquals(List.of("schemas", "id"), List.of(whole.fieldNames().next(), fieldName(whole, 1)));
        assertEquals(2, whole.path("members").size());
        whole.path("members").forEach(member -> assertTrue(member.path("$ref").asText().endsWith(
                (member.path("type").asText().equals("User") ? "/Users/" : "/Groups/") + member.path("value").asText())));
    }

    @Test
    void rfc7643_4_2_aGroupOfMoreMembersThanOneReadComesWholeEachMemberOnceInIdOrder() {
        String token = Tokens.scimClient();
        String prefix = unique("Streamed");
        String small = createGroup(token, prefix + " a", createUser(token, unique("member") + "@example.com"));
        String id = createGroup(token, prefix + " b large");
        String empty = createGroup(token, prefix + " c");
        int size = 5_000 * 2 + 17; // GroupRepository.MEMBER_BATCH: three reads
        String run = UUID.randomUUID().toString();
        AccessRows.update("INSERT INTO users (id, org_id, user_name, display_name, active, data) "
                + "SELECT gen_random_uuid(), CAST(? AS uuid), ? || '-' || n || '@example.com', 'Large ' || n, true, "
                + "jsonb_build_object('schemas', jsonb_build_array('urn:ietf:params:scim:schemas:core:2.0:User'), "
                + "'userName', ? || '-' || n || '@example.com', 'active', true) "
                + "FROM generate_series(1, " + size + ") AS n", AccessRows.orgId(), run, run);
        AccessRows.update("INSERT INTO group_members (group_id, member_id, member_type, org_id) "
                + "SELECT CAST(? AS uuid), u.id, 'User', u.org_id FROM users u WHERE u.user_name LIKE ? || '-%'", id, run);

        try {
            var response = GroupsFixtures.scim(token).when().get(GROUPS + "/" + id).then().statusCode(200)
                    .header("Transfer-Encoding", "chunked").extract().response();
            JsonNode group = tree(response);

            List<String> ids = new ArrayList<>();
            group.path("members").forEach(member -> ids.add(member.path("value").asText()));
            assertEquals(size, ids.size());
            List<String> sorted = new ArrayList<>(ids);
            sorted.sort(null);
            assertEquals(sorted, ids, "in id order, none twice");
            assertEquals(size, ids.stream().distinct().count());
            assertTrue(group.path("members").get(size - 1).path("display").asText().startsWith("Large "));

            // RFC 7644 §3.4.2, §3.4.3: in a list page (and across resource types) each group comes whole in its place
            List<JsonNode> expected = List.of(representation(token, small), group, representation(token, empty));
            String filter = "displayName sw \"" + prefix + "\"";
            JsonNode page = tree(GroupsFixtures.scim(token).queryParam("filter", filter).queryParam("sortBy", "displayName")
                    .when().get(GROUPS).then().statusCode(200).extract().response());
            assertEquals(3, page.path("itemsPerPage").asInt());
            assertEquals(3, page.path("totalResults").asInt());
            assertEquals(expected, resources(page));
            JsonNode acrossTypes = tree(GroupsFixtures.scim(token).body(GroupsFixtures.fixture("search-with-members.json",
                    GroupsFixtures.values("filter", filter))).when().post("/scim/v2/.search").then().statusCode(200)
                    .extract().response());
            assertEquals(expected, resources(acrossTypes));
        } finally {
            // these users were made without the API (and so without a role): they leave with the test
            AccessRows.update("DELETE FROM group_members WHERE group_id = CAST(? AS uuid)", id);
            AccessRows.update("DELETE FROM users WHERE user_name LIKE ? || '-%'", run);
        }
    }

    @Test
    void rfc7644_3_4_2_5_excludingMembersNeverReadsMembership() throws Exception {
        String token = Tokens.scimClient();
        String name = unique("Unread");
        String id = createGroup(token, name, createUser(token, unique("member") + "@example.com"));
        try (Connection locker = AccessRows.connect()) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("LOCK TABLE group_members IN ACCESS EXCLUSIVE MODE");
            CompletableFuture<Integer> withMembers = CompletableFuture.supplyAsync(() -> GroupsFixtures.scim(token)
                    .when().get(GROUPS + "/" + id).statusCode());
            try {
                JsonNode group = tree(CompletableFuture.supplyAsync(() -> GroupsFixtures.scim(token)
                        .queryParam("excludedAttributes", "members").when().get(GROUPS + "/" + id).then().statusCode(200)
                        .extract().response()).get(20, TimeUnit.SECONDS));
                JsonNode page = tree(CompletableFuture.supplyAsync(() -> GroupsFixtures.scim(token)
                        .queryParam("excludedAttributes", "members").queryParam("filter", "displayName eq \"" + name + "\"")
                        .when().get(GROUPS).then().statusCode(200).extract().response()).get(20, TimeUnit.SECONDS));

                assertEquals(name, group.path("displayName").asText());
                assertFalse(group.has("members"));
                assertEquals(1, page.path("totalResults").asInt());
                assertFalse(withMembers.isDone(), "showing members does read them (so the lock is what it seems)");
            } finally {
                locker.rollback();
            }
            assertEquals(200, withMembers.get(20, TimeUnit.SECONDS));
        }
    }

    private static JsonNode representation(String token, String id) {
        return tree(GroupsFixtures.scim(token).when().get(GROUPS + "/" + id).then().statusCode(200).extract().response());
    }

    private static List<JsonNode> resources(JsonNode page) {
        List<JsonNode> resources = new ArrayList<>();
        page.path("Resources").forEach(resources::add);
        return resources;
    }

    private static String fieldName(JsonNode node, int index) {
        var names = node.fieldNames();
        for (int i = 0; i < index; i++) {
            names.next();
        }
        return names.next();
    }
}
