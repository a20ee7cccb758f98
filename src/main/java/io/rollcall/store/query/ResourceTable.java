package io.rollcall.store.query;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How one resource type is laid out in PostgreSQL for queries: the table alias, the JSONB column holding the SCIM
 * representation, and the attributes kept in their own (indexed) columns, keyed by lower-case dotted path
 * ({@code username}, {@code meta.lastmodified}). Everything else is read from the JSONB document.
 *
 * @param multiValuedIndexes for a multi-valued attribute's sub-attribute (lower-case {@code emails.value}), an indexed
 *                           SQL expression giving the lower-cased values as {@code text[]}, used for {@code eq}
 */
public record ResourceTable(String table, String alias, String json, Map<String, Column> columns,
        Map<String, String> multiValuedIndexes) {

    /**
     * A column holding an attribute; {@code sql} is a complete expression (e.g. {@code u.user_name}). A {@code uuid}
     * column (ids) compares {@code eq} as a uuid, so that the primary key is used, and everything else as text.
     */
    public record Column(String sql, boolean uuid) {
        public Column(String sql) {
            this(sql, false);
        }
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
