package io.rollcall.scim;

import static io.rollcall.scim.GroupsFixtures.GROUPS;
import static io.rollcall.scim.GroupsFixtures.USERS;
import static io.rollcall.scim.GroupsFixtures.createGroup;
import static io.rollcall.scim.GroupsFixtures.createUser;
import static io.rollcall.scim.GroupsFixtures.fixture;
import static io.rollcall.scim.GroupsFixtures.memberIds;
import static io.rollcall.scim.GroupsFixtures.unique;
import static io.rollcall.scim.GroupsFixtures.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.rollcall.support.AccessRows;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * The common membership add (one {@code add} of users, no If-Match) is one statement of its own, and a user or group
 * deleted meanwhile must never be left behind as a membership (RFC 7644 §3.6: a deleted resource is gone; §3.5.2:
 * members are existing resources). Each test stops one side mid-way with a transaction of the test's own, so the
 * interleaving that a race only sometimes hits is played every time.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class MemberAddAgainstDeleteTest {

    private static final long WAIT_MILLIS = 1500;

    private static String token;

    private static synchronized String token() {
        if (token == null) {
            token = Tokens.scimClient();
        }
        return token;
    }

    /**
     * A user delete removes the user's row first: an add arriving while that delete is uncommitted waits for it, then
     * no longer finds the user and is refused (400); the group keeps no row for the user.
     */
    @Test
    void rfc7644_3_6_anAddMeetingAUserDeleteInFlightWaitsAndIsRefused() throws Exception {
        String groupId = createGroup(token(), unique("deleting user"));
        String userId = createUser(token(), unique("deleting") + "@example.com");
        try (Connection delete = AccessRows.connect()) {
            delete.setAutoCommit(false);
            execute(delete, "DELETE FROM users WHERE id = '" + userId + "'");
            CompletableFuture<Response> add = waiting(() -> add(groupId, userId), "the add did not wait for the delete");
            execute(delete, "DELETE FROM group_members WHERE member_id = '" + userId + "'");
            delete.commit();
            Response answer = add.get(30, TimeUnit.SECONDS);
            assertEquals(400, answer.statusCode(), answer.asString());
        }
        assertEquals(Set.of(), memberIds(token(), groupId));
        assertEquals(List.of("0"), membershipRowsOf(userId));
    }

    /**
     * The other order: the add has found the user and is held before its membership row is in (here by the group's
     * version counters, which a transaction of the test's own holds). The user's delete, sent then, waits
     * for the add, and then removes the membership the add made: both succeed and no membership of the deleted user
     * is left.
     */
    @Test
    void rfc7644_3_6_aUserDeleteMeetingAnAddInFlightWaitsAndRemovesWhatItAdded() throws Exception {
        String groupId = createGroup(token(), unique("adding user"));
        String userId = createUser(token(), unique("added") + "@example.com");
        deleteUserDuringAdd(groupId, () -> add(groupId, userId), userId);
        assertEquals(Set.of(), memberIds(token(), groupId));
        assertEquals(List.of("0"), membershipRowsOf(userId));
    }

    /**
     * An add of more users than are locked one by one ({@code GroupMemberWrites.ROW_LOCKED_ADD_MAX}) holds the
     * organization's shared membership lock instead: a delete of one of its users, sent while the add is under way,
     * waits for it and then removes the membership it made; the others stay.
     */
    @Test
    void rfc7644_3_6_aUserDeleteMeetingABigAddInFlightWaitsAndRemovesWhatItAdded() throws Exception {
        String groupId = createGroup(token(), unique("big add"));
        List<String> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(createUser(token(), unique("batch" + i) + "@example.com"));
        }
        String doomed = batch.get(17);
        deleteUserDuringAdd(groupId, () -> GroupsFixtures.scim(token())
                .body(fixture("patch-add-member-list.json", values("members", GroupsFixtures.members(batch))))
                .when().patch(GROUPS + "/" + groupId).then().extract().response(), doomed);
        Set<String> expected = new java.util.HashSet<>(batch);
        expected.remove(doomed);
        assertEquals(expected, memberIds(token(), groupId));
        assertEquals(List.of("0"), membershipRowsOf(doomed));
    }

    /**
     * A group being deleted, as the delete does it (the row locked, the memberships removed, the row deleted last): an
     * add to it waits for the delete, then answers 404 (not a 500), and no membership row is left (group_members has no
     * foreign key to groups, so nothing else would remove one). The group's version counters exist and are committed,
     * so the add counting its change updates one (no foreign-key check that would wait for the delete too).
     */
    @Test
    void rfc7644_3_6_anAddToAGroupBeingDeletedWaitsAndAnswersNotFound() throws Exception {
        String groupId = createGroup(token(), unique("deleting group"));
        String userId = createUser(token(), unique("orphan") + "@example.com");
        writeCounters(groupId);
        try (Connection delete = AccessRows.connect()) {
            delete.setAutoCommit(false);
            execute(delete, "SELECT 1 FROM groups WHERE id = '" + groupId + "' FOR UPDATE");
            execute(delete, "DELETE FROM group_members WHERE group_id = '" + groupId + "'");
            CompletableFuture<Response> add = waiting(() -> add(groupId, userId), "the add did not wait for the delete");
            execute(delete, "DELETE FROM groups WHERE id = '" + groupId + "'");
            delete.commit();
            Response answer = add.get(30, TimeUnit.SECONDS);
            assertEquals(404, answer.statusCode(), answer.asString());
        }
        assertEquals(List.of("0"), membershipRowsOf(userId));
        assertEquals(List.of("0"), AccessRows.strings("SELECT count(*) FROM group_members WHERE group_id = CAST(? AS uuid)",
                groupId));
    }

    /**
     * A group delete removes the group's memberships before its row, and an identity provider may add a member again
     * meanwhile. The delete holds the group row from its start, so the add waits on the row, not on a membership row
     * the delete removed (which, with the add holding the row, would deadlock the two), and answers 404 once the delete
     * commits. The delete is held after removing the memberships by the parent group's version counters, which a
     * transaction of the test's own holds.
     */
    @Test
    void rfc7644_3_6_anAddAgainOfAMemberWaitsForAGroupDeleteOnTheGroupRowAndAnswersNotFound() throws Exception {
        String userId = createUser(token(), unique("again") + "@example.com");
        String groupId = createGroup(token(), unique("deleted with members"), userId);
        String parentId = createGroup(token(), unique("parent"), groupId);
        CompletableFuture<Integer> delete;
        CompletableFuture<Response> add;
        try (Connection counters = holdCounters(parentId)) {
            delete = waiting(deleting(GROUPS + "/" + groupId), "the delete was not held by the parent's counters");
            add = waiting(() -> add(groupId, userId), "the add did not wait for the delete");
            assertEquals(List.of("groups"), AccessRows.strings("SELECT CAST(l.relation AS regclass)::text FROM pg_locks l"
                    + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'tuple'"
                    + " AND a.query LIKE '%INSERT INTO group_members%'"), "the add waits on the group's row");
            counters.commit();
        }
        assertEquals(204, delete.get(30, TimeUnit.SECONDS));
        Response answer = add.get(30, TimeUnit.SECONDS);
        assertEquals(404, answer.statusCode(), answer.asString());
        assertEquals(List.of("0"), membershipRowsOf(userId));
        assertEquals(Set.of(), memberIds(token(), parentId));
    }

    /**
     * A membership PATCH of several operations (Entra ID sends removals so) takes the step-by-step path; a group delete
     * arriving while it is under way waits at the group's row for it to commit, instead of taking the row and then
     * waiting for the membership rows the PATCH removed while the PATCH waits for the row (a deadlock, until PostgreSQL
     * broke it). The PATCH is held after removing the members by the group's version counters, which a transaction of
     * the test's own holds.
     */
    @Test
    void rfc7644_3_6_aGroupDeleteWaitsAtTheGroupRowForAStepByStepPatchUnderWay() throws Exception {
        String first = createUser(token(), unique("first") + "@example.com");
        String second = createUser(token(), unique("second") + "@example.com");
        String groupId = createGroup(token(), unique("patched then deleted"), first, second);
        String removals = """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
                  {"op": "remove", "path": "members[value eq \\"%s\\"]"},
                  {"op": "remove", "path": "members[value eq \\"%s\\"]"}]}""".formatted(first, second);
        CompletableFuture<Response> patch;
        CompletableFuture<Integer> delete;
        try (Connection counters = holdCounters(groupId)) {
            patch = waiting(() -> GroupsFixtures.scim(token()).body(removals).when()
                    .patch(GROUPS + "/" + groupId).then().extract().response(), "the PATCH was not held by the counters");
            delete = waiting(deleting(GROUPS + "/" + groupId), "the delete did not wait for the PATCH");
            assertEquals(List.of("1"), AccessRows.strings("SELECT count(*) FROM pg_stat_activity WHERE"
                    + " wait_event_type = 'Lock' AND query LIKE 'SELECT 1 FROM groups WHERE % FOR UPDATE'"),
                    "the delete waits at the group's row");
            counters.commit();
        }
        Response patched = patch.get(30, TimeUnit.SECONDS);
        assertEquals(204, patched.statusCode(), patched.asString());
        assertEquals(204, delete.get(30, TimeUnit.SECONDS));
        assertEquals(List.of("0"), AccessRows.strings("SELECT count(*) FROM group_members WHERE group_id = CAST(? AS uuid)",
                groupId));
    }

    /**
     * Sends the add, held when it counts its change on the group's counters; then the user's delete, which must wait for
     * the add; then lets both go: both succeed.
     */
    private static void deleteUserDuringAdd(String groupId, Supplier<Response> add, String userId)
            throws Exception {
        CompletableFuture<Response> adding;
        CompletableFuture<Integer> delete;
        try (Connection counters = holdCounters(groupId)) {
            adding = waiting(add, "the add was not held by the counters");
            delete = waiting(deleting(USERS + "/" + userId), "the delete did not wait for the add");
            counters.commit();
        }
        Response added = adding.get(30, TimeUnit.SECONDS);
        assertEquals(204, added.statusCode(), added.asString());
        assertEquals(204, delete.get(30, TimeUnit.SECONDS));
    }

    /**
     * Sends the request on a thread of its own and checks, {@link #WAIT_MILLIS} later, that it has not been answered:
     * it waits for a lock the test's interleaving holds.
     */
    private static <T> CompletableFuture<T> waiting(Supplier<T> request, String notWaiting) throws InterruptedException {
        CompletableFuture<T> answer = CompletableFuture.supplyAsync(request);
        Thread.sleep(WAIT_MILLIS);
        assertFalse(answer.isDone(), () -> notWaiting + ": " + (answer.join() instanceof Response response
                ? response.statusCode() + " " + response.asString() : answer.join()));
        return answer;
    }

    /** A DELETE of the resource at the path, answering its status. */
    private static Supplier<Integer> deleting(String path) {
        return () -> GroupsFixtures.scim(token()).when().delete(path).then().extract().statusCode();
    }

    /**
     * A transaction of the test's own holding the group's 16 version counter rows, so that a membership change of the
     * group waits when it counts itself. The rows are committed first and then locked: inserting them in the holding
     * transaction would also key-share-lock the group (their foreign key). The caller commits to let the change go.
     */
    private static Connection holdCounters(String groupId) throws Exception {
        writeCounters(groupId);
        Connection counters = AccessRows.connect();
        counters.setAutoCommit(false);
        execute(counters, "SELECT 1 FROM group_versions WHERE group_id = '" + groupId + "' FOR UPDATE");
        return counters;
    }

    /** The group's 16 version counter rows, committed (zero changes each), so that counting a change updates one. */
    private static void writeCounters(String groupId) {
        AccessRows.update("INSERT INTO group_versions (group_id, shard, n, updated_at) SELECT CAST(? AS uuid), s, 0, now()"
                + " FROM generate_series(0, 15) s ON CONFLICT DO NOTHING", groupId);
    }

    private static Response add(String groupId, String userId) {
        return GroupsFixtures.scim(token())
                .body(fixture("patch-add-member-okta.json", values("memberId", userId, "display", userId)))
                .when().patch(GROUPS + "/" + groupId).then().extract().response();
    }

    private static List<String> membershipRowsOf(String userId) {
        return AccessRows.strings("SELECT count(*) FROM group_members WHERE member_id = CAST(? AS uuid)", userId);
    }

    private static void execute(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
