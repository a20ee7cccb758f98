package io.rollcall.store.query;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.unboundid.scim2.common.types.AttributeDefinition;

import io.rollcall.resource.ResolvedAttribute;

/**
 * How one resource type is laid out in PostgreSQL for queries: the table alias, the JSONB column holding the SCIM
 * representation, and the attributes with an SQL expression of their own (mostly indexed columns, also computed values
 * such as {@code meta.version}), keyed by lower-case dotted path ({@code username}, {@code meta.lastmodified}).
 * Everything else is read from the JSONB document.
 *
 * @param version            SQL expression of the resource's version (its ETag)
 * @param multiValuedIndexes for a multi-valued attribute's sub-attribute (lower-case {@code emails.value}), an indexed
 *                           SQL expression giving the lower-cased values as {@code text[]}, used for {@code eq}
 * @param relations          multi-valued attributes kept in another table rather than the document (a group's
 *                           {@code members}, a user's {@code groups}, a role's {@code members}), by lower-case name,
 *                           URN-qualified for an extension's attribute
 * @param computed           attributes the server computes from other rows without a relation here, neither in a
 *                           column nor in the document (lower-case name, or an extension's URN for all of its)
 * @param countedByTrigger   whether {@code resource_counts} keeps the table's row count (V3); otherwise totals count
 *                           the rows
 */
public record ResourceTable(String table, String alias, String json, String version, Map<String, Column> columns,
        Map<String, String> multiValuedIndexes, Map<String, Relation> relations, Set<String> computed,
        boolean countedByTrigger) {

    public ResourceTable(String table, String alias, String json, String version, Map<String, Column> columns,
            Map<String, String> multiValuedIndexes, Map<String, Relation> relations, Set<String> computed) {
        this(table, alias, json, version, columns, multiValuedIndexes, relations, computed, true);
    }

    /**
     * Every statement that takes a filter binds the organization as {@code $1} (filter parameters start at
     * {@code $2}): a relation whose elements are looked up by something other than the resource's own rows (a user's
     * groups by display name) scopes them with it.
     */
    public static final String ORGANIZATION = "$1";

    /**
     * A multi-valued attribute stored as rows of another table. {@code link} joins a row (alias {@code {e}}) to the
     * resource; each filterable sub-attribute maps to a column expression over {@code {e}}.
     *
     * @param matching when set, how "some element satisfies {@code {c}}" is asked instead of an {@code EXISTS} over
     *                 {@code table} and {@code link}: a condition with {@code {e}} for the element's alias and
     *                 {@code {c}} for the element condition (a user's groups: the groups satisfying it, searched by
     *                 index, then the groups nested in them, then a membership of the user in one of those)
     */
    public record Relation(String table, String link, Map<String, Column> subAttributes, String matching) {

        public Relation(String table, String link, Map<String, Column> subAttributes) {
            this(table, link, subAttributes, null);
        }

        /** Some element of the resource satisfies {@code condition} (over {@code alias}); null: some element exists. */
        public String exists(String alias, String condition) {
            if (condition != null && matching != null) {
                return matching.replace("{e}", alias).replace("{c}", condition);
            }
            return "EXISTS (SELECT 1 FROM " + table + " " + alias + " WHERE " + link.replace("{e}", alias)
                    + (condition == null ? "" : " AND (" + condition + ")") + ")";
        }

        public Optional<Column> subAttribute(String name, String alias) {
            Column column = subAttributes.get(name.toLowerCase(Locale.ROOT));
            return Optional.ofNullable(column).map(c -> new Column(c.sql().replace("{e}", alias), c.uuid(),
                    c.equals() == null ? null : c.equals().replace("{e}", alias), c.required()));
        }
    }

    /** The relation of a multi-valued attribute: keyed by its lower-case name, URN-qualified for an extension's. */
    public Optional<Relation> relation(ResolvedAttribute attribute) {
        String name = attribute.attribute().getName();
        return Optional.ofNullable(relations.get((attribute.extensionUrn() == null ? name
                : attribute.extensionUrn() + ":" + name).toLowerCase(Locale.ROOT)));
    }

    /**
     * A column holding an attribute; {@code sql} is a complete expression (e.g. {@code u.user_name}). A {@code uuid}
     * column (ids) compares {@code eq} as a uuid, so that the primary key is used, and everything else as text.
     *
     * @param equals   for a uuid column whose {@code eq} means more than equality, the condition it stands for, with
     *                 {@code {v}} for the value (a user's {@code groups.value eq} also matches the groups nested in it)
     * @param required whether every row has a value ({@code NOT NULL}): a keyset page sorted by it then needs no
     *                 "or unassigned" arm, so that it stays an index range scan
     */
    public record Column(String sql, boolean uuid, String equals, boolean required) {
        public Column(String sql, boolean uuid, String equals) {
            this(sql, uuid, equals, false);
        }

        public Column(String sql, boolean uuid) {
            this(sql, uuid, null);
        }

        public Column(String sql) {
            this(sql, false);
        }

        /** A column every row has a value in. */
        public static Column required(String sql) {
            return new Column(sql, false, null, true);
        }

        /** The id column (a uuid, never null). */
        public static Column id(String sql) {
            return new Column(sql, true, null, true);
        }
    }

    /** SQL expression of the resource's lastModified ({@code meta.lastModified}). */
    public String lastModified() {
        return columns.get("meta.lastmodified").sql();
    }

    /**
     * Why the attribute cannot be filtered or sorted on, if it cannot: it is never returned ({@code password}); the
     * server computes it from other rows and it has no relation here ({@code computed}: a user's {@code roles}, the
     * access extensions); or it is a sub-attribute of {@code meta}, which is not stored in the document (the server
     * writes it from the row), without a column ({@code meta.location}, which depends on the request's base URL).
     */
    public Optional<String> unqueryable(ResolvedAttribute attribute) {
        if (attribute.attribute().getReturned() == AttributeDefinition.Returned.NEVER
                || attribute.target().getReturned() == AttributeDefinition.Returned.NEVER) {
            return Optional.of("it is never returned");
        }
        String name = ((attribute.extensionUrn() == null ? "" : attribute.extensionUrn() + ":")
                + attribute.attribute().getName()).toLowerCase(Locale.ROOT);
        if (attribute.extensionUrn() != null && computed.contains(attribute.extensionUrn().toLowerCase(Locale.ROOT))
                || computed.contains(name)) {
            return Optional.of("the server computes it, it is not stored with the resource");
        }
        if (attribute.extensionUrn() == null && attribute.subAttribute() != null
                && attribute.attribute().getName().equalsIgnoreCase("meta") && column(attribute).isEmpty()) {
            return Optional.of("it is not stored");
        }
        return Optional.empty();
    }

    public Optional<Column> column(ResolvedAttribute attribute) {
        return Optional.ofNullable(columns.get(key(attribute)));
    }

    public Optional<String> multiValuedIndex(ResolvedAttribute attribute) {
        return Optional.ofNullable(multiValuedIndexes.get(key(attribute)));
    }

    private static String key(ResolvedAttribute attribute) {
        String key = attribute.subAttribute() == null ? attribute.attribute().getName()
                : attribute.attribute().getName() + "." + attribute.subAttribute().getName();
        return ((attribute.extensionUrn() == null ? "" : attribute.extensionUrn() + ":") + key).toLowerCase(Locale.ROOT);
    }
}
