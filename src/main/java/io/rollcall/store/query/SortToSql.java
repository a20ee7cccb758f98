package io.rollcall.store.query;

import java.util.List;
import java.util.Optional;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.types.AttributeDefinition;

import io.rollcall.resource.AttributeResolver;
import io.rollcall.resource.KeysetPosition;
import io.rollcall.resource.ResolvedAttribute;

/**
 * RFC 7644 §3.4.2.3 {@code sortBy}/{@code sortOrder} → {@code ORDER BY}: any singular attribute, or for a multi-valued
 * one its primary value (else its first). Strings that are not case-exact sort case-insensitively; unassigned values
 * sort last ascending and first descending; the resource id breaks ties so that paging is stable. What has no single
 * value to sort by is refused as {@code invalidValue}: a complex attribute without a sub-attribute, a path with a value
 * filter, a multi-valued attribute kept in another table ({@code groups}, {@code members}), and what is not stored.
 */
public final class SortToSql {

    private SortToSql() {
    }

    /**
     * What rows sort by.
     *
     * @param sql      the SQL expression
     * @param type     its SQL type: what a keyset position's text is cast back to
     * @param nullable whether a row can lack a value (it then sorts last ascending, first descending)
     */
    public record Key(String sql, String type, boolean nullable) {
    }

    /**
     * A query's order: its key (null for an order by id alone), the direction, and the id that breaks ties in the same
     * direction. The same order writes the {@code ORDER BY} and, for keyset pages, the condition selecting the rows
     * after a position ({@link #after}), so that the two always agree.
     */
    public record Order(Key key, boolean descending, String tiebreaker) {

        public String orderBy() {
            String direction = descending ? " DESC" : "";
            return key == null ? tiebreaker + direction
                    : key.sql() + direction + ", " + tiebreaker + direction;
        }

        /**
         * The same order turned round, key and tiebreaker both: ascending with unassigned values last becomes
         * descending with them first (PostgreSQL's default for each), so the rows after a position in the reversed
         * order are exactly the rows before it in this one, read nearest first, by the same index read backwards.
         */
        public Order reversed() {
            return new Order(key, !descending, tiebreaker);
        }

        /** The key's value as text, as a keyset position keeps it (NULL when the order has no key). */
        public String keyText() {
            return key == null ? "NULL::text" : "(" + key.sql() + ")::text";
        }

        /**
         * The rows that come after {@code position} in this order, as PostgreSQL sorts (RFC 7644 §3.4.2.3: unassigned
         * values last ascending, first descending, which are PostgreSQL's defaults). Written as a row comparison
         * {@code (key, id) > (k, id)}, which an index on (…, key, id) answers as a range scan; a nullable key adds the
         * unassigned rows that follow every value ascending, and a position without a value compares ids among the
         * unassigned rows (descending: then every row with a value follows).
         *
         * @param firstParameter the number of the condition's first parameter in the statement
         */
        public SqlFragment after(KeysetPosition position, int firstParameter) {
            String greater = descending ? " < " : " > ";
            if (key == null || position.sortKey() == null) {
                String id = tiebreaker + greater + "$" + firstParameter + "::uuid";
                if (key == null) {
                    return new SqlFragment(id, List.of(position.id()));
                }
                String unassigned = "(" + key.sql() + ") IS NULL AND " + id;
                return new SqlFragment(descending ? "((" + unassigned + ") OR (" + key.sql() + ") IS NOT NULL)"
                        : "(" + unassigned + ")", List.of(position.id()));
            }
            String rows = "ROW(" + key.sql() + ", " + tiebreaker + ")" + greater + "ROW(CAST($" + firstParameter
                    + "::text AS " + key.type() + "), $" + (firstParameter + 1) + "::uuid)";
            if (key.nullable() && !descending) {
                rows = "(" + rows + " OR (" + key.sql() + ") IS NULL)";
            }
            return new SqlFragment(rows, List.of(position.sortKey(), position.id()));
        }
    }

    public static String orderBy(Path sortBy, boolean descending, ResourceTable table, AttributeResolver resolver)
            throws BadRequestException {
        return order(sortBy, descending, table, resolver).orderBy();
    }

    public static Order order(Path sortBy, boolean descending, ResourceTable table, AttributeResolver resolver)
            throws BadRequestException {
        String tiebreaker = table.alias() + ".id";
        if (sortBy == null) {
            return new Order(defaultKey(table), false, tiebreaker);
        }
        Key key = key(sortBy, table, resolver).orElseThrow(() -> unknown(sortBy));
        if (key.sql().startsWith("'")) {
            // the same constant for every row (meta.resourceType of one table; PostgreSQL refuses it in ORDER BY)
            return new Order(null, descending, tiebreaker);
        }
        return new Order(key, descending, tiebreaker);
    }

    /** What resources sort by without {@code sortBy}: their creation. */
    public static Key defaultKey(ResourceTable table) {
        return new Key(table.alias() + ".created_at", "timestamptz", false);
    }

    /**
     * The key a resource of this table sorts by, or empty when the table's schemas have no such attribute (across
     * resource types such resources sort as if the value were unassigned).
     */
    public static Optional<Key> key(Path sortBy, ResourceTable table, AttributeResolver resolver)
            throws BadRequestException {
        for (int i = 0; i < sortBy.size(); i++) {
            if (sortBy.getElement(i).getValueFilter() != null) {
                throw BadRequestException.invalidValue("Cannot sort by '" + sortBy + "': sortBy names an attribute, "
                        + "without a value filter [...]");
            }
        }
        Optional<ResolvedAttribute> attribute = resolver.resolve(sortBy);
        if (attribute.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(key(attribute.get(), table));
    }

    public static BadRequestException unknown(Path sortBy) {
        return BadRequestException.invalidValue("Cannot sort by unknown attribute '" + sortBy + "'");
    }

    private static Key key(ResolvedAttribute attribute, ResourceTable table) throws BadRequestException {
        var column = table.column(attribute);
        if (column.isPresent()) {
            ResourceTable.Column c = column.get();
            String sql = caseInsensitive(attribute.target()) ? "lower(" + c.sql() + ")" : c.sql();
            return new Key(sql, c.uuid() ? "uuid" : type(attribute.target()), !c.required());
        }
        return new Key(expression(attribute, table), type(valueOf(attribute)), true);
    }

    /** The definition of the value {@link #expression} reads: for a multi-valued attribute, its (sub-)values'. */
    private static AttributeDefinition valueOf(ResolvedAttribute attribute) {
        AttributeDefinition definition = attribute.attribute();
        if (!definition.isMultiValued()) {
            return attribute.target();
        }
        if (attribute.subAttribute() != null) {
            return attribute.subAttribute();
        }
        if (definition.getType() == AttributeDefinition.Type.COMPLEX) {
            return definition.getSubAttributes().stream().filter(s -> s.getName().equals("value")).findFirst()
                    .orElse(definition);
        }
        return definition;
    }

    /** The SQL type of a sort key over values of this definition (see {@link #typed}). */
    private static String type(AttributeDefinition target) {
        return switch (target.getType()) {
            case BOOLEAN -> "boolean";
            case INTEGER, DECIMAL -> "numeric";
            case DATETIME -> "timestamptz";
            default -> "text";
        };
    }

    private static String expression(ResolvedAttribute attribute, ResourceTable table) throws BadRequestException {
        AttributeDefinition definition = attribute.attribute();
        AttributeDefinition target = attribute.target();
        if (table.relation(attribute).isPresent()) {
            throw BadRequestException.invalidValue("Cannot sort by '" + attribute.display() + "': its values are not "
                    + "part of the resource's document and have no primary one");
        }
        Optional<String> unqueryable = table.unqueryable(attribute);
        if (unqueryable.isPresent()) {
            throw BadRequestException.invalidValue("Cannot sort by '" + attribute.display() + "': " + unqueryable.get());
        }
        String base = attribute.extensionUrn() == null ? table.json() : table.json() + " -> '" + attribute.extensionUrn() + "'";
        if (definition.isMultiValued()) {
            AttributeDefinition sub = attribute.subAttribute();
            if (sub == null && definition.getType() == AttributeDefinition.Type.COMPLEX) {
                sub = definition.getSubAttributes().stream().filter(s -> s.getName().equals("value")).findFirst()
                        .orElseThrow(() -> BadRequestException.invalidValue("Cannot sort by '" + attribute.display()
                                + "': it has no 'value'; name a sub-attribute"));
            }
            String array = base + " -> '" + definition.getName() + "'";
            String value = sub == null ? "v #>> '{}'" : "v ->> '" + sub.getName() + "'";
            String primaryFirst = definition.getType() == AttributeDefinition.Type.COMPLEX
                    ? " ORDER BY (v ->> 'primary')::boolean IS TRUE DESC" : "";
            String selected = "(SELECT " + value + " FROM jsonb_array_elements(CASE WHEN jsonb_typeof(" + array
                    + ") = 'array' THEN " + array + " ELSE '[]'::jsonb END) AS v" + primaryFirst + " LIMIT 1)";
            return typed(selected, sub == null ? definition : sub);
        }
        if (target.getType() == AttributeDefinition.Type.COMPLEX) {
            throw BadRequestException.invalidValue("Cannot sort by complex '" + attribute.display() + "'; name one of "
                    + "its sub-attributes");
        }
        String text = attribute.subAttribute() == null ? base + " ->> '" + definition.getName() + "'"
                : base + " -> '" + definition.getName() + "' ->> '" + attribute.subAttribute().getName() + "'";
        return typed(text, target);
    }

    private static String typed(String text, AttributeDefinition target) {
        return switch (target.getType()) {
            case BOOLEAN -> "(" + text + ")::boolean";
            case INTEGER, DECIMAL -> "(" + text + ")::numeric";
            case DATETIME -> "(" + text + ")::timestamptz";
            default -> caseInsensitive(target) ? "lower(" + text + ")" : text + " COLLATE \"C\"";
        };
    }

    private static boolean caseInsensitive(AttributeDefinition target) {
        return (target.getType() == AttributeDefinition.Type.STRING) && !target.isCaseExact();
    }
}
