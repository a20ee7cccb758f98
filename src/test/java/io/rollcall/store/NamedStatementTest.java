package io.rollcall.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Named parameters turned into positional ones for statements run on the session's connection. */
class NamedStatementTest {

    @Test
    void eachNameBecomesOnePositionInTheOrderOfFirstUse() {
        SessionStatements.Named statement = SessionStatements.Named.of(
                "SELECT 1 FROM t WHERE a = :org AND b = :user_id AND c = :org");
        assertEquals("SELECT 1 FROM t WHERE a = $1 AND b = $2 AND c = $1", statement.sql());
        assertEquals(List.of("org", "user_id"), statement.names());
    }

    @Test
    void castsLiteralsCommentsAndDollarQuotedBodiesAreLeftAlone() {
        SessionStatements.Named statement = SessionStatements.Named.of(
                "SELECT :ids::uuid[], 'at :noon', $$ :body $$, x -- the user's :note\n"
                        + "FROM t WHERE y = CAST(:v AS text)");
        assertEquals("SELECT $1::uuid[], 'at :noon', $$ :body $$, x -- the user's :note\n"
                + "FROM t WHERE y = CAST($2 AS text)", statement.sql());
        assertEquals(List.of("ids", "v"), statement.names());
    }

    @Test
    void valuesComeInPositionalOrderAndAMissingOneIsAnError() {
        SessionStatements.Named statement = SessionStatements.Named.of("UPDATE t SET a = :a WHERE b = :b");
        Map<String, Object> values = new HashMap<>();
        values.put("b", 2);
        values.put("a", null);
        assertArrayEquals(new Object[] { null, 2 }, statement.parameters(values));
        assertThrows(IllegalArgumentException.class, () -> statement.parameters(Map.of("a", 1)));
    }
}
