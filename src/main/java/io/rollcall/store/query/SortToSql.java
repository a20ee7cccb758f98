package io.rollcall.store.query;

import java.util.Optional;

import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.types.AttributeDefinition;

import io.rollcall.resource.AttributeResolver;
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

    public static String orderBy(Path sortBy, boolean descending, ResourceTable table, AttributeResolver resolver)
            throws BadRequestException {
        String tiebreaker = table.alias() + ".id";
        if (sortBy == null) {
            return defaultKey(table) + ", " + tiebreaker;
        }
        String key = key(sortBy, table, resolver).orElseThrow(() -> unknown(sortBy));
        String direction = descending ? " DESC" : " ASC";
        if (key.startsWith("'")) {
            // the same constant for every row (meta.resourceType of one table; PostgreSQL refuses it in ORDER BY)
            return tiebreaker + direction;
        }
        return key + direction + ", " + tiebreaker + direction;
    }

    /** What resources sort by without {@code sortBy}: their creation. */
    public static String defaultKey(ResourceTable table) {
        return table.alias() + ".created_at";
    }

    /**
     * The SQL expression a resource of this table sorts by, or empty when the table's schemas have no such attribute
     * (across resource types such resources sort as if the value were unassigned).
     */
    public static Optional<String> key(Path sortBy, ResourceTable table, AttributeResolver resolver)
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
        return Optional.of(expression(attribute.get(), table));
    }

    public static BadRequestException unknown(Path sortBy) {
        return BadRequestException.invalidValue("Cannot sort by unknown attribute '" + sortBy + "'");
    }

    private static String expression(ResolvedAttribute attribute, ResourceTable table) throws BadRequestException {
        AttributeDefinition definition = attribute.attribute();
        AttributeDefinition target = attribute.target();
        var column = table.column(attribute);
        if (column.isPresent()) {
            return caseInsensitive(target) ? "lower(" + column.get().sql() + ")" : column.get().sql();
        }
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
