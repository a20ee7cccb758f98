package io.rollcall.store;

import java.util.Map;
import java.util.Set;

import io.rollcall.resource.SchemaUrns;
import io.rollcall.store.query.ResourceTable;
import io.rollcall.store.query.ResourceTable.Column;
import io.rollcall.store.query.ResourceTable.Relation;

/**
 * The query layout of the SCIM resource tables (see V2__users_groups.sql): which attributes have their own indexed
 * column, and which multi-valued attributes have an index over their lower-cased values. A group's version and
 * lastModified count its membership changes too ({@link GroupVersionCounters}). {@code meta} is not in the documents: its
 * {@code resourceType} is a constant per table and its {@code version} is computed from the row, as the
 * representation writes them; {@code meta.location} depends on the request and is not queryable.
 */
public final class ScimTables {

    /**
     * A user's groups, direct and indirect (RFC 7643 §4.1.2), as the representation shows them: an element is a group
     * G of the user's organization that the user is in directly or through groups nested in G, with {@code value} its
     * id, {@code display} its displayName and {@code type} {@code direct} when the user is a member of G itself. A
     * condition on them is asked from the groups' side: the groups satisfying it (by primary key or by
     * {@code groups_org_display_name}), the groups nested in those, their members (by {@code group_members}' primary
     * key), computed once as an array (an uncorrelated {@code ARRAY(…)} is an init plan) so that the users are then read
     * by primary key: {@code groups.display eq "Eng"} reads the users of the groups named Eng, not every user of the
     * organization. {@code type} depends on the user, so a condition naming it is asked again for each user.
     * {@code groups pr} is a membership row of the user.
     */
    private static final String USER_GROUPS_MATCHING = "u.id = ANY (ARRAY(SELECT {e}_m.member_id FROM group_members {e}_m"
            + " WHERE {e}_m.group_id IN (WITH RECURSIVE {e}_down(group_id) AS (SELECT {e}.id FROM groups {e} WHERE {e}.org_id = "
            + ResourceTable.ORGANIZATION + " AND ({c}) UNION " + NestedGroups.nestedIn("{e}_down", "gm.member_id")
            + ") SELECT group_id FROM {e}_down)))";

    private static final Relation USER_GROUPS = new Relation("group_members", "{e}.member_id = u.id", Map.of(
            "value", new Column("{e}.id", true),
            "display", new Column("{e}.display_name"),
            "type", new Column("CASE WHEN EXISTS (SELECT 1 FROM group_members {e}_d WHERE {e}_d.group_id = {e}.id"
                    + " AND {e}_d.member_id = u.id) THEN 'direct' ELSE 'indirect' END")),
            USER_GROUPS_MATCHING);

    public static final ResourceTable USERS = new ResourceTable("users", "u", "u.data", "u.version",
            Map.of(
                    "id", Column.id("u.id"),
                    "username", Column.required("u.user_name"),
                    "externalid", new Column("u.external_id"),
                    "displayname", new Column("u.display_name"),
                    "active", Column.required("u.active"),
                    "meta.created", Column.required("u.created_at"),
                    "meta.lastmodified", Column.required("u.updated_at"),
                    "meta.version", Column.required(etag("u.version")),
                    "meta.resourcetype", new Column("'User'")),
            Map.of("emails.value", "scim_lower_values(u.data -> 'emails', 'value')"),
            Map.of("groups", USER_GROUPS),
            // from role bindings (the user's roles and the access extension's effective roles and permissions)
            Set.of("roles", "urn:rollcall:scim:schemas:extension:access:2.0:user"));

    public static final ResourceTable GROUPS = new ResourceTable("groups", "g", "g.data", GroupVersionCounters.VERSION,
            Map.of(
                    "id", Column.id("g.id"),
                    "displayname", Column.required("g.display_name"),
                    "externalid", new Column("g.external_id"),
                    "meta.created", Column.required("g.created_at"),
                    "meta.lastmodified", Column.required(GroupVersionCounters.LAST_MODIFIED),
                    "meta.version", Column.required(etag(GroupVersionCounters.VERSION)),
                    "meta.resourcetype", new Column("'Group'")),
            Map.of(),
            Map.of("members", new Relation("group_members", "{e}.group_id = g.id",
                    Map.of("value", new Column("{e}.member_id", true), "type", new Column("{e}.member_type")))),
            // the group's role bindings
            Set.of("urn:rollcall:scim:schemas:extension:access:2.0:group"));

    /** The extension holding a role's access model (value, type, policies, members, counts). */
    public static final String ROLE_ACCESS = SchemaUrns.ROLE_ACCESS;

    /**
     * Roles through the {@code scim_roles} view (V5): internal roles left out, the representation built in SQL. A role's
     * {@code members} are its direct bindings: {@code members.value eq "<id>"} finds the roles bound to that user, group
     * or access key with an index probe by principal ({@code role_bindings_unique} or {@code role_bindings_org_principal};
     * naming every principal kind lets PostgreSQL use either, whose first column is the kind). {@code type} is compared
     * as the wire shows it ({@code User}, {@code Group}, {@code AccessKey}), case-insensitively.
     */
    public static final ResourceTable ROLES = new ResourceTable("scim_roles", "r", "r.data", "r.version",
            Map.of(
                    "id", Column.id("r.id"),
                    "displayname", Column.required("r.name"),
                    ROLE_ACCESS.toLowerCase() + ":value", Column.required("r.value"),
                    ROLE_ACCESS.toLowerCase() + ":type", Column.required("r.type"),
                    "meta.created", Column.required("r.created_at"),
                    "meta.lastmodified", Column.required("r.updated_at"),
                    "meta.version", Column.required(etag("r.version")),
                    "meta.resourcetype", new Column("'Role'")),
            Map.of(),
            Map.of(ROLE_ACCESS.toLowerCase() + ":members", new Relation("role_bindings",
                    "{e}.principal_kind IN ('user', 'group', 'access_key') AND {e}.org_id = r.org_id AND {e}.role_id = r.id",
                    Map.of("value", new Column("{e}.principal_id", true),
                            "type", new Column("replace({e}.principal_kind, '_', '')"),
                            "source", new Column("{e}.source")))),
            Set.of(), false);

    private ScimTables() {
    }

    /** {@code meta.version} as the representation shows it ({@code W/"<version>"}, see {@code ETags.etag}). */
    private static String etag(String version) {
        return "('W/\"' || " + version + " || '\"')";
    }
}
