package io.rollcall.store.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.types.SchemaResource;

import io.rollcall.scim.ResourceSchema;
import io.rollcall.scim.ScimJson;
import io.rollcall.store.GroupVersionCounters;
import io.rollcall.store.ScimTables;

/**
 * RFC 7644 §3.4.2.2 filters → PostgreSQL, table-driven: each case gives the filter, the exact SQL condition and its
 * parameters ($1 is the organization in the statements that embed these, so filter parameters start at $2).
 */
class FilterToSqlTest {

    private static ResourceSchema users;
    private static ResourceSchema groups;
    private static ResourceSchema roles;

    @BeforeAll
    static void loadSchemas() throws IOException {
        users = new ResourceSchema("User", schema("User.json"), List.of(schema("EnterpriseUser.json")));
        groups = new ResourceSchema("Group", schema("Group.json"), List.of());
        roles = new ResourceSchema("Role", schema("Role.json"), List.of(schema("RoleAccess.json")));
    }

    static Stream<Arguments> translations() {
        return Stream.of(
                // indexed columns: the IdPs' matching lookups
                Arguments.of("userName eq \"Ana@Acme.com\"", "lower(u.user_name) = lower($2)", List.of("Ana@Acme.com")),
                Arguments.of("USERNAME Eq \"x\"", "lower(u.user_name) = lower($2)", List.of("x")),
                Arguments.of("externalId eq \"00u1\"", "u.external_id = $2", List.of("00u1")),
                Arguments.of("emails.value eq \"a@acme.com\"",
                        "scim_lower_values(u.data -> 'emails', 'value') @> ARRAY[lower($2)]", List.of("a@acme.com")),
                Arguments.of("emails eq \"a@acme.com\"",
                        "scim_lower_values(u.data -> 'emails', 'value') @> ARRAY[lower($2)]", List.of("a@acme.com")),
                Arguments.of("active eq true", "u.active = $2", List.of(true)),
                Arguments.of("id eq \"6f1e0c1a-4c53-4b8a-9d7e-2f3c1b0a9e8d\"", "u.id = $2",
                        List.of(UUID.fromString("6f1e0c1a-4c53-4b8a-9d7e-2f3c1b0a9e8d"))),
                Arguments.of("id eq \"not-a-uuid\"", "false", List.of()),
                Arguments.of("meta.lastModified gt \"2026-01-31T12:00:00Z\"", "u.updated_at > $2",
                        List.of(OffsetDateTime.parse("2026-01-31T12:00:00Z"))),
                Arguments.of("meta.created le \"2026-01-31T12:00:00Z\"", "u.created_at <= $2",
                        List.of(OffsetDateTime.parse("2026-01-31T12:00:00Z"))),
                // meta is not in the document: resourceType is the table's, version is the row's as an ETag
                Arguments.of("meta.resourceType eq \"User\"", "'User' = $2", List.of("User")),
                Arguments.of("meta.resourceType pr", "('User' IS NOT NULL)", List.of()),
                Arguments.of("meta.version eq \"W/\\\"3\\\"\"", "('W/\"' || u.version || '\"') = $2",
                        List.of("W/\"3\"")),
                // substring operators escape LIKE wildcards
                Arguments.of("userName sw \"a_b%\"", "lower(u.user_name) LIKE lower($2) ESCAPE '\\'", List.of("a\\_b\\%%")),
                Arguments.of("displayName co \"an\"", "lower(u.display_name) LIKE lower($2) ESCAPE '\\'", List.of("%an%")),
                Arguments.of("userName ew \"@acme.com\"", "lower(u.user_name) LIKE lower($2) ESCAPE '\\'",
                        List.of("%@acme.com")),
                // JSONB attributes, singular and complex
                Arguments.of("name.familyName eq \"Smith\"", "lower(u.data -> 'name' ->> 'familyName') = lower($2)",
                        List.of("Smith")),
                Arguments.of("title pr", "(NULLIF(u.data ->> 'title', '') IS NOT NULL)", List.of()),
                Arguments.of("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq \"7\"",
                        "lower(u.data -> 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' ->> 'employeeNumber')"
                                + " = lower($2)",
                        List.of("7")),
                Arguments.of("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"m1\"",
                        "lower(u.data -> 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User' -> 'manager' ->> "
                                + "'value') = lower($2)",
                        List.of("m1")),
                // ne also matches resources without the attribute
                Arguments.of("title ne \"CEO\"", "NOT COALESCE(lower(u.data ->> 'title') = lower($2), false)",
                        List.of("CEO")),
                Arguments.of("title eq null", "NOT ((NULLIF(u.data ->> 'title', '') IS NOT NULL))", List.of()),
                // multi-valued and value paths
                Arguments.of("emails.type eq \"work\"",
                        "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(u.data -> 'emails') = 'array' "
                                + "THEN u.data -> 'emails' ELSE '[]'::jsonb END) AS e1 WHERE lower(e1 ->> 'type') = lower($2))",
                        List.of("work")),
                Arguments.of("emails[value eq \"A@acme.com\"]",
                        "scim_lower_values(u.data -> 'emails', 'value') @> ARRAY[lower($2)]", List.of("A@acme.com")),
                Arguments.of("emails[type eq \"work\" and value eq \"a@acme.com\"]",
                        "scim_lower_values(u.data -> 'emails', 'value') @> ARRAY[lower($2)] AND EXISTS (SELECT 1 FROM "
                                + "jsonb_array_elements(CASE WHEN jsonb_typeof(u.data -> 'emails') = 'array' THEN u.data -> "
                                + "'emails' ELSE '[]'::jsonb END) AS e1 WHERE (lower(e1 ->> 'type') = lower($3)) AND "
                                + "(lower(e1 ->> 'value') = lower($4)))",
                        List.of("a@acme.com", "work", "a@acme.com")),
                Arguments.of("emails[type eq \"work\" and value co \"@acme.com\"]",
                        "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(u.data -> 'emails') = 'array' "
                                + "THEN u.data -> 'emails' ELSE '[]'::jsonb END) AS e1 WHERE (lower(e1 ->> 'type') = lower($2))"
                                + " AND (lower(e1 ->> 'value') LIKE lower($3) ESCAPE '\\'))",
                        List.of("work", "%@acme.com%")),
                // logic and grouping
                Arguments.of("userName eq \"a\" or (active eq false and not (title pr))",
                        "(lower(u.user_name) = lower($2)) OR ((u.active = $3) AND (NOT COALESCE(((NULLIF(u.data ->> 'title', '') "
                                + "IS NOT NULL)), false)))",
                        List.of("a", false)),
                Arguments.of("x509Certificates.value eq \"AbC\"",
                        "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(u.data -> 'x509Certificates') = "
                                + "'array' THEN u.data -> 'x509Certificates' ELSE '[]'::jsonb END) AS e1 WHERE "
                                + "e1 ->> 'value' = $2)",
                        List.of("AbC")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("translations")
    void translatesFilterToParameterisedSql(String filter, String sql, List<Object> parameters) throws ScimException {
        SqlFragment fragment = FilterToSql.translate(Filter.fromString(filter), ScimTables.USERS, users, 2);
        assertEquals(sql, fragment.sql());
        assertEquals(parameters, fragment.parameters());
    }

    static Stream<Arguments> relationTranslations() {
        UUID id = UUID.fromString("6f1e0c1a-4c53-4b8a-9d7e-2f3c1b0a9e8d");
        return Stream.of(
                Arguments.of("members.value eq \"" + id + "\"",
                        "EXISTS (SELECT 1 FROM group_members e1 WHERE e1.group_id = g.id AND (e1.member_id = $2))",
                        List.of(id)),
                Arguments.of("members eq \"" + id + "\"",
                        "EXISTS (SELECT 1 FROM group_members e1 WHERE e1.group_id = g.id AND (e1.member_id = $2))",
                        List.of(id)),
                Arguments.of("members[type eq \"Group\"]",
                        "EXISTS (SELECT 1 FROM group_members e1 WHERE e1.group_id = g.id AND (lower(e1.member_type) = lower($2)))",
                        List.of("Group")),
                Arguments.of("members pr", "EXISTS (SELECT 1 FROM group_members e1 WHERE e1.group_id = g.id)",
                        List.of()),
                Arguments.of("displayName eq \"Eng\"", "lower(g.display_name) = lower($2)", List.of("Eng")),
                Arguments.of("meta.resourceType eq \"Group\"", "'Group' = $2", List.of("Group")),
                Arguments.of("meta.resourceType sw \"Gr\"", "'Group' LIKE $2 ESCAPE '\\'", List.of("Gr%")),
                // a group's version counts its membership changes (GroupVersionCounters)
                Arguments.of("meta.version eq \"W/\\\"7\\\"\"",
                        "('W/\"' || " + GroupVersionCounters.VERSION + " || '\"') = $2", List.of("W/\"7\"")));
    }

    /**
     * RFC 7644 §3.4.2: across resource types an attribute another searched type has has no value here; the other
     * type (Users) owns parameters $2 and $3, so this one's start at $4.
     */
    static Stream<Arguments> acrossTypesTranslations() {
        return Stream.of(
                Arguments.of("userName sw \"a\"", "false", List.of()),
                Arguments.of("userName pr", "false", List.of()),
                Arguments.of("userName ne \"a\"", "true", List.of()),
                Arguments.of("userName eq null", "NOT (false)", List.of()),
                Arguments.of("not (userName pr)", "NOT COALESCE((false), false)", List.of()),
                Arguments.of("emails[type eq \"work\"]", "false", List.of()),
                Arguments.of("displayName sw \"Eng\" or userName eq \"x\"",
                        "(lower(g.display_name) LIKE lower($4) ESCAPE '\\') OR (false)", List.of("Eng%")),
                Arguments.of("meta.resourceType eq \"Group\"", "'Group' = $4", List.of("Group")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acrossTypesTranslations")
    void rfc7644_3_4_2_acrossTypesAnAttributeOnlyAnotherTypeHasHasNoValue(String filter, String sql,
            List<Object> parameters) throws ScimException {
        SqlFragment fragment = FilterToSql.translateAcrossTypes(Filter.fromString(filter), ScimTables.GROUPS, groups,
                List.of(users, groups), 4);
        assertEquals(sql, fragment.sql());
        assertEquals(parameters, fragment.parameters());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "shoeSize eq \"42\"", "displayName eq \"x\" or shoeSize pr", "members[shoeSize eq \"1\"]" })
    void rfc7644_3_4_2_acrossTypesAnAttributeNoTypeHasIsInvalidFilter(String filter) {
        BadRequestException e = assertThrows(BadRequestException.class, () -> FilterToSql.translateAcrossTypes(
                Filter.fromString(filter), ScimTables.GROUPS, groups, List.of(users, groups), 2));
        assertEquals("invalidFilter", e.getScimError().getScimType());
        assertTrue(e.getMessage().contains("shoeSize"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("relationTranslations")
    void translatesGroupFiltersIncludingMembershipRows(String filter, String sql, List<Object> parameters)
            throws ScimException {
        SqlFragment fragment = FilterToSql.translate(Filter.fromString(filter), ScimTables.GROUPS, groups, 2);
        assertEquals(sql, fragment.sql());
        assertEquals(parameters, fragment.parameters());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("userGroupTranslations")
    void translatesAUsersGroupsThroughMembershipRowsIncludingNestedGroups(String filter, String sql, List<Object> parameters)
            throws ScimException {
        SqlFragment fragment = FilterToSql.translate(Filter.fromString(filter), ScimTables.USERS, users, 2);
        assertEquals(sql, fragment.sql());
        assertEquals(parameters, fragment.parameters());
    }

    static Stream<Arguments> userGroupTranslations() {
        UUID id = UUID.fromString("6f1e0c1a-4c53-4b8a-9d7e-2f3c1b0a9e8d");
        return Stream.of(
                Arguments.of("groups.value eq \"" + id + "\"", groupsMatching("e1.id = $2"), List.of(id)),
                Arguments.of("groups[value eq \"" + id + "\"]", groupsMatching("e1.id = $2"), List.of(id)),
                Arguments.of("groups.display eq \"Eng\"", groupsMatching("lower(e1.display_name) = lower($2)"),
                        List.of("Eng")),
                Arguments.of("groups.display sw \"En_\"",
                        groupsMatching("lower(e1.display_name) LIKE lower($2) ESCAPE '\\'"), List.of("En\\_%")),
                Arguments.of("groups[display co \"ng\" and type eq \"indirect\"]", groupsMatching(
                        "(lower(e1.display_name) LIKE lower($2) ESCAPE '\\') AND (lower(CASE WHEN EXISTS (SELECT 1 FROM "
                                + "group_members e1_d WHERE e1_d.group_id = e1.id AND e1_d.member_id = u.id) THEN 'direct' "
                                + "ELSE 'indirect' END) = lower($3))"), List.of("%ng%", "indirect")),
                Arguments.of("groups pr", "EXISTS (SELECT 1 FROM group_members e1 WHERE e1.member_id = u.id)",
                        List.of()));
    }

    /** The groups of the organization ($1) satisfying the condition, those nested in them, the user among their members. */
    private static String groupsMatching(String condition) {
        return "u.id = ANY (ARRAY(SELECT e1_m.member_id FROM group_members e1_m WHERE e1_m.group_id IN (WITH RECURSIVE "
                + "e1_down(group_id) AS (SELECT e1.id FROM groups e1 WHERE e1.org_id = $1 AND (" + condition + ") UNION "
                + "SELECT gm.member_id FROM group_members gm JOIN e1_down ON gm.group_id = e1_down.group_id WHERE "
                + "gm.member_type = 'Group') SELECT group_id FROM e1_down)))";
    }

    static Stream<Arguments> roleMemberTranslations() {
        UUID id = UUID.fromString("6f1e0c1a-4c53-4b8a-9d7e-2f3c1b0a9e8d");
        String access = ScimTables.ROLE_ACCESS;
        String members = "EXISTS (SELECT 1 FROM role_bindings e1 WHERE e1.principal_kind IN ('user', 'group', 'access_key') "
                + "AND e1.org_id = r.org_id AND e1.role_id = r.id AND (";
        return Stream.of(
                Arguments.of(access + ":members.value eq \"" + id + "\"", members + "e1.principal_id = $2))", List.of(id)),
                Arguments.of(access + ":members eq \"" + id + "\"", members + "e1.principal_id = $2))", List.of(id)),
                Arguments.of(access + ":members[value eq \"" + id + "\" and type eq \"AccessKey\"]",
                        members + "(e1.principal_id = $2) AND (lower(replace(e1.principal_kind, '_', '')) = lower($3))))",
                        List.of(id, "AccessKey")),
                Arguments.of(access + ":members.source eq \"scim\"", members + "lower(e1.source) = lower($2)))",
                        List.of("scim")),
                Arguments.of(access + ":members.value eq \"nope\"", members + "false))", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roleMemberTranslations")
    void translatesRoleMemberFiltersToExistsOverRoleBindings(String filter, String sql, List<Object> parameters)
            throws ScimException {
        SqlFragment fragment = FilterToSql.translate(Filter.fromString(filter), ScimTables.ROLES, roles, 2);
        assertEquals(sql, fragment.sql());
        assertEquals(parameters, fragment.parameters());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roleMemberRefusals")
    void refusesRoleMemberSubAttributesWithoutAColumnNamingThem(String filter, String named) {
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> FilterToSql.translate(Filter.fromString(filter), ScimTables.ROLES, roles, 2));
        assertEquals("invalidFilter", e.getScimError().getScimType());
        assertTrue(e.getMessage().contains("'" + ScimTables.ROLE_ACCESS + ":" + named + "' is not supported")
                && e.getMessage().contains("members.value, members.type or members.source"), e.getMessage());
    }

    static Stream<Arguments> roleMemberRefusals() {
        return Stream.of(Arguments.of(ScimTables.ROLE_ACCESS + ":members.display eq \"ana\"", "members.display"),
                Arguments.of(ScimTables.ROLE_ACCESS + ":members[workspace eq \"EU\"]", "members.workspace"));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("nickname2 eq \"x\"", "Unknown attribute 'nickname2'"),
                Arguments.of("urn:example:Nope:x eq \"x\"", "Unknown attribute"),
                Arguments.of("name eq \"x\"", "'name' is complex"),
                Arguments.of("active gt true", "boolean"),
                Arguments.of("active eq \"true\"", "boolean"),
                Arguments.of("meta.created gt \"yesterday\"", "not an xsd:dateTime"),
                Arguments.of("meta.created co \"2026\"", "dateTime"),
                Arguments.of("userName eq 7", "string"),
                Arguments.of("userName[value eq \"x\"]", "not a multi-valued complex attribute"),
                Arguments.of("emails[display2 eq \"x\"]", "not a sub-attribute of 'emails'"),
                Arguments.of("userName gt null", "needs a value"),
                Arguments.of("groups.$ref eq \"Groups/1\"", "filter on groups.value, groups.display or groups.type"),
                Arguments.of("meta.location eq \"https://example.com/scim/v2/Users/1\"",
                        "'meta.location' is not supported"),
                Arguments.of("meta.location pr", "'meta.location' is not supported"),
                Arguments.of("password eq \"t1meMa$heen\"", "'password' is not supported: it is never returned"),
                Arguments.of("roles.value eq \"inbox-agent\"", "'roles.value' is not supported: the server computes it"),
                Arguments.of("roles pr", "'roles' is not supported: the server computes it"));
    }

    @Test
    void rfc7644_3_4_2_2_aNumberBeyondADoubleIsInvalidFilterNotAFailure() {
        // 1e999 parses as Infinity: it was a NumberFormatException and a 500
        BadRequestException e = assertThrows(BadRequestException.class, () -> FilterToSql.translate(
                Filter.fromString(ScimTables.ROLE_ACCESS + ":counts.users gt 1e999"), ScimTables.ROLES, roles, 2));
        assertEquals("invalidFilter", e.getScimError().getScimType());
        assertTrue(e.getMessage().contains("a finite number"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatCannotBeExpressedAsInvalidFilter(String filter, String detail) {
        BadRequestException e = assertThrows(BadRequestException.class,
                () -> FilterToSql.translate(Filter.fromString(filter), ScimTables.USERS, users, 2));
        assertEquals("invalidFilter", e.getScimError().getScimType());
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    private static SchemaResource schema(String file) throws IOException {
        try (InputStream in = FilterToSqlTest.class.getClassLoader().getResourceAsStream("scim-schemas/schemas/" + file)) {
            return ScimJson.MAPPER.readValue(in, SchemaResource.class);
        }
    }

}
