package io.rollcall.store.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.types.SchemaResource;

import io.rollcall.resource.KeysetPosition;
import io.rollcall.scim.ResourceSchema;
import io.rollcall.scim.ScimJson;
import io.rollcall.store.ScimTables;

/** RFC 7644 §3.4.2.3 {@code sortBy} → the SQL a resource sorts by, and what has no single value to sort by. */
class SortToSqlTest {

    private static ResourceSchema users;
    private static ResourceSchema groups;

    @BeforeAll
    static void loadSchemas() throws IOException {
        users = new ResourceSchema("User", schema("User.json"), List.of(schema("EnterpriseUser.json")));
        groups = new ResourceSchema("Group", schema("Group.json"), List.of());
    }

    static Stream<Arguments> keys() {
        return Stream.of(
                Arguments.of("userName", "lower(u.user_name)"),
                Arguments.of("externalId", "u.external_id"),
                Arguments.of("name.familyName", "lower(u.data -> 'name' ->> 'familyName')"),
                Arguments.of("meta.created", "u.created_at"),
                Arguments.of("meta.resourceType", "'User'"),
                // multi-valued: the primary value, else the first
                Arguments.of("emails", "lower((SELECT v ->> 'value' FROM jsonb_array_elements(CASE WHEN "
                        + "jsonb_typeof(u.data -> 'emails') = 'array' THEN u.data -> 'emails' ELSE '[]'::jsonb END) AS v "
                        + "ORDER BY (v ->> 'primary')::boolean IS TRUE DESC LIMIT 1))"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("keys")
    void rfc7644_3_4_2_3_sortByGivesTheExpressionAUserSortsBy(String sortBy, String sql) throws Exception {
        assertEquals(Optional.of(sql),
                SortToSql.key(Path.fromString(sortBy), ScimTables.USERS, users).map(SortToSql.Key::sql));
    }

    @Test
    void rfc7644_3_4_2_3_sortingOneTypeByItsResourceTypeOrdersByTheTiebreakerAlone() throws Exception {
        // PostgreSQL refuses a constant in ORDER BY (42601): it was a 500
        assertEquals("u.id DESC", SortToSql.orderBy(Path.fromString("meta.resourceType"), true, ScimTables.USERS, users));
    }

    @Test
    void rfc7644_3_4_2_3_anAttributeTheTypeLacksHasNoKeySoItsResourcesSortAsUnassigned() throws Exception {
        assertEquals(Optional.empty(), SortToSql.key(Path.fromString("userName"), ScimTables.GROUPS, groups));
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> SortToSql.orderBy(Path.fromString("userName"), false, ScimTables.GROUPS, groups));
        assertEquals("invalidValue", e.getScimError().getScimType());
    }

    static Stream<Arguments> keysetConditions() {
        UUID id = UUID.fromString("0190f3a2-0000-7000-8000-000000000001");
        return Stream.of(
                // the default order: created_at is never null, so a plain row comparison (an index range scan)
                Arguments.of(null, false, new KeysetPosition("2026-01-02 03:04:05.123456+00", id),
                        "ROW(u.created_at, u.id) > ROW(CAST($3::text AS timestamptz), $4::uuid)"),
                // a required column, case-insensitive
                Arguments.of("userName", true, new KeysetPosition("ana@example.com", id),
                        "ROW(lower(u.user_name), u.id) < ROW(CAST($3::text AS text), $4::uuid)"),
                // a nullable key ascending: every unassigned row comes after any value
                Arguments.of("displayName", false, new KeysetPosition("ana", id),
                        "(ROW(lower(u.display_name), u.id) > ROW(CAST($3::text AS text), $4::uuid) "
                                + "OR (lower(u.display_name)) IS NULL)"),
                // descending, unassigned rows came first: nothing to add after a value
                Arguments.of("displayName", true, new KeysetPosition("ana", id),
                        "ROW(lower(u.display_name), u.id) < ROW(CAST($3::text AS text), $4::uuid)"),
                // after an unassigned row: the unassigned rows with a greater id
                Arguments.of("displayName", false, new KeysetPosition(null, id),
                        "((lower(u.display_name)) IS NULL AND u.id > $3::uuid)"),
                // descending after an unassigned row: the rest of them, then every row with a value
                Arguments.of("displayName", true, new KeysetPosition(null, id),
                        "(((lower(u.display_name)) IS NULL AND u.id < $3::uuid) OR (lower(u.display_name)) IS NOT NULL)"),
                Arguments.of("active", false, new KeysetPosition("true", id),
                        "ROW(u.active, u.id) > ROW(CAST($3::text AS boolean), $4::uuid)"),
                Arguments.of("meta.resourceType", true, new KeysetPosition(null, id), "u.id < $3::uuid"));
    }

    @ParameterizedTest(name = "{0} descending={1} after {2}")
    @MethodSource("keysetConditions")
    void rfc9865_2_aKeysetPageSelectsTheRowsAfterThePositionInTheSameOrder(String sortBy, boolean descending,
            KeysetPosition position, String sql) throws Exception {
        SortToSql.Order order = SortToSql.order(sortBy == null ? null : Path.fromString(sortBy), descending,
                ScimTables.USERS, users);
        SqlFragment after = order.after(position, 3);
        assertEquals(sql, after.sql());
        List<Object> parameters = position.sortKey() == null ? List.of(position.id())
                : List.of(position.sortKey(), position.id());
        assertEquals(parameters, after.parameters());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(users, ScimTables.USERS, "groups"),
                Arguments.of(users, ScimTables.USERS, "groups.display"),
                Arguments.of(users, ScimTables.USERS, "emails[type eq \"work\"].value"),
                Arguments.of(users, ScimTables.USERS, "name"),
                Arguments.of(users, ScimTables.USERS, "addresses"),
                Arguments.of(users, ScimTables.USERS, "meta.location"),
                Arguments.of(groups, ScimTables.GROUPS, "members"),
                Arguments.of(groups, ScimTables.GROUPS, "members.value"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("refusals")
    void rfc7644_3_4_2_3_whatHasNoSingleValueToSortByIsInvalidValue(ResourceSchema schema, ResourceTable table,
            String sortBy) {
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> SortToSql.key(Path.fromString(sortBy), table, schema));
        assertEquals("invalidValue", e.getScimError().getScimType());
        String named = sortBy.contains("[") ? sortBy.replace("\"", "") : sortBy;
        assertTrue(e.getMessage().replace("\"", "").contains(named), e.getMessage());
    }

    private static SchemaResource schema(String file) throws IOException {
        try (InputStream in = SortToSqlTest.class.getClassLoader().getResourceAsStream("scim-schemas/schemas/" + file)) {
            return ScimJson.MAPPER.readValue(in, SchemaResource.class);
        }
    }
}
