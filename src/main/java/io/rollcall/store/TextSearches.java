package io.rollcall.store;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.rollcall.store.query.FilterToSql;
import io.rollcall.store.query.SqlFragment;
import io.smallrye.mutiny.Uni;

/**
 * The admin API's {@code search} box: resources whose names or description contain a piece of text, in any case. The
 * text is matched literally (its {@code %}, {@code _} and {@code \} are escaped), never as a pattern.
 */
@ApplicationScoped
public class TextSearches {

    private final ResourceReads reads;

    public TextSearches(ResourceReads reads) {
        this.reads = reads;
    }

    /**
     * Users whose {@code userName}, {@code displayName} or {@code name.formatted} contains {@code text} (null or blank:
     * every user), by {@code userName}.
     */
    public Uni<Page<StoredResource>> users(UUID orgId, String text, int offset, int limit) {
        SqlFragment condition = isEmpty(text) ? null
                : new SqlFragment("lower(u.user_name) LIKE $2 OR lower(coalesce(u.display_name, '')) LIKE $2 "
                        + "OR lower(coalesce(u.data #>> '{name,formatted}', '')) LIKE $2", List.of(containing(text)));
        return reads.page(ScimTables.USERS, orgId, condition, "lower(u.user_name), u.id", offset, limit, null);
    }

    /**
     * Roles whose name, value or description contains {@code text} (null or blank: every role), of one type
     * ({@code managed}, {@code custom}; null: both), managed first, then by name.
     */
    public Uni<Page<StoredResource>> roles(UUID orgId, String text, String type, int limit) {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (!isEmpty(text)) {
            parameters.add(containing(text));
            int n = parameters.size() + 1;
            conditions.add("(lower(r.name) LIKE $" + n + " OR r.value LIKE $" + n + " OR lower(r.data ->> 'description') "
                    + "LIKE $" + n + ")");
        }
        if (type != null) {
            parameters.add(type);
            conditions.add("r.type = $" + (parameters.size() + 1));
        }
        SqlFragment condition = conditions.isEmpty() ? null : new SqlFragment(String.join(" AND ", conditions), parameters);
        return reads.page(ScimTables.ROLES, orgId, condition, "r.type, lower(r.name), r.id", 0, limit, null);
    }

    private static boolean isEmpty(String text) {
        return text == null || text.isBlank();
    }

    /** A LIKE pattern matching any value that contains the text as it is, lower-cased. */
    private static String containing(String text) {
        return "%" + FilterToSql.escapeLike(text.trim().toLowerCase()) + "%";
    }
}
