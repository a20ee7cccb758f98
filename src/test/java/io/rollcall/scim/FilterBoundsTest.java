package io.rollcall.scim;

import static io.rollcall.support.ScimErrors.assertScimError;
import static io.rollcall.support.UserFixtures.USERS;
import static io.rollcall.support.UserFixtures.fixture;
import static io.rollcall.support.UserFixtures.scim;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.rollcall.support.PostgresResource;
import io.rollcall.support.Tokens;

/**
 * RFC 7644 §3.4.2.2, §3.12: a filter the server will not run is a 400 {@code invalidFilter} saying which bound it
 * passes — nested deeper than 32 levels, more than 1,000 comparisons, longer than 100,000 characters — never a 500 (a
 * filter nested thousands deep overflowed the stack) nor a request that keeps a core busy for seconds. The same bounds
 * hold for the value filter of a PATCH path.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class FilterBoundsTest {

    @Test
    void rfc7644_3_4_2_2_aFilterNestedDeeperThan32LevelsIsInvalidFilter() {
        String token = Tokens.scimClient();
        searchFinds(token, nested(32), 0);
        assertScimError(search(token, nested(33)), 400, "invalidFilter", "nests more than 32 levels");
        assertScimError(search(token, nested(2_000)), 400, "invalidFilter", "nests more than 32 levels");
    }

    @Test
    void rfc7644_3_4_2_2_aFilterOfMoreThan1000ComparisonsIsInvalidFilter() {
        String token = Tokens.scimClient();
        searchFinds(token, comparisons(1_000), 0);
        assertScimError(search(token, comparisons(1_001)), 400, "invalidFilter", "more than 1000 comparisons");
    }

    @Test
    void rfc7644_3_4_2_2_aFilterLongerThan100000CharactersIsRefusedBeforeItIsParsed() {
        String token = Tokens.scimClient();
        String filter = "userName eq \"" + "x".repeat(100_000) + "\"";
        assertScimError(search(token, filter), 400, "invalidFilter", "The filter has 100014 characters; at most 100000 are accepted");
    }

    @Test
    void rfc7644_3_5_2_aPatchPathWhoseValueFilterPassesTheBoundsIsRefusedNamingTheOperation() {
        String token = Tokens.scimClient();
        String group = GroupsFixtures.createGroup(token, GroupsFixtures.unique("Bounded"));
        String path = "members[" + comparisons(1_001).replace("userName", "value") + "]";
        assertScimError(scim(token).body(GroupsFixtures.fixture("patch-remove-members-path.json",
                GroupsFixtures.values("path", path))).when().patch("/scim/v2/Groups/" + group).then(), 400,
                "invalidFilter", "Operation 1 (remove members[");
    }

    private static String nested(int depth) {
        // each "and (" adds a level; every comparison is false, so nothing matches whatever the database holds
        return "userName eq \"nobody@example.com\" and (".repeat(depth - 1) + "userName eq \"nobody@example.com\""
                + ")".repeat(depth - 1);
    }

    private static String comparisons(int count) {
        return IntStream.range(0, count).mapToObj(i -> "userName eq \"nobody" + i + "@example.com\"")
                .collect(Collectors.joining(" or "));
    }

    private static ValidatableResponse search(String token, String filter) {
        return scim(token).body(fixture("search-filter.json", Map.of("filter", filter.replace("\"", "\\\""))))
                .when().post(USERS + "/.search").then();
    }

    private static void searchFinds(String token, String filter, int expected) {
        int found = search(token, filter).statusCode(200).extract().path("totalResults");
        assertEquals(expected, found);
    }
}
