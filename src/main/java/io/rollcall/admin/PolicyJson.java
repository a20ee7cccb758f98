package io.rollcall.admin;

import java.time.Instant;
import java.util.List;

import io.rollcall.access.Statement;
import io.rollcall.service.PolicyService.PolicyDraft;
import io.rollcall.service.PolicyService.StatementDraft;
import io.rollcall.store.PolicyRow;

/** The admin API's JSON shapes for policies. */
public final class PolicyJson {

    private PolicyJson() {
    }

    /**
     * One statement. {@code effect}: {@code allow} or {@code deny}; {@code permissions}: catalogue keys or patterns
     * ({@code campaigns:*}, {@code *}); {@code resources}: {@code *} or workspace ids or names (answered as ids), every
     * workspace when left out.
     */
    public record StatementJson(String effect, List<String> permissions, List<String> resources) {

        static StatementJson of(Statement statement) {
            return new StatementJson(statement.effect().wire(), statement.permissions(), statement.resources());
        }

        StatementDraft draft() {
            return new StatementDraft(effect, permissions, resources);
        }
    }

    /** {@code POST /admin/v1/policies} and {@code PUT /admin/v1/policies/{id}}: {@code description} optional. */
    public record PolicyRequest(String name, String description, List<StatementJson> statements) {

        PolicyDraft draft() {
            return new PolicyDraft(name, description,
                    statements == null ? null : statements.stream().map(s -> s == null ? null : s.draft()).toList());
        }
    }

    public record RoleRef(String id, String value, String name) {
    }

    /** {@code type}: {@code managed} (platform-made, immutable) or {@code organization} (custom). */
    public record Policy(String id, String name, String description, String type, long version, Instant createdAt,
            Instant updatedAt, List<StatementJson> statements, List<RoleRef> roles) {

        static Policy of(PolicyRow row) {
            return new Policy(row.id().toString(), row.name(), row.description(), row.type(), row.version(),
                    row.createdAt(), row.updatedAt(), row.statements().stream().map(StatementJson::of).toList(),
                    row.roles().stream().map(r -> new RoleRef(r.id().toString(), r.value(), r.name())).toList());
        }
    }

    public record PolicyList(int totalResults, List<Policy> items) {
    }
}
