package io.rollcall.admin;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.rollcall.service.AccessKeyService.AccessKeyView;

/** The admin API's JSON shapes for access keys. */
public final class AccessKeyJson {

    private AccessKeyJson() {
    }

    /** {@code POST /admin/v1/access-keys}: roles by value, id or name; {@code expiresAt} optional (ISO-8601 instant). */
    public record CreateRequest(String name, List<String> roles, Instant expiresAt) {
    }

    public record RoleRef(String id, String value, String name) {
    }

    /** A key; {@code token} appears only in the response that created it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AccessKey(String id, String name, List<RoleRef> roles, Instant createdAt, Instant lastUsedAt,
            Instant expiresAt, String token) {

        static AccessKey of(AccessKeyView view) {
            return new AccessKey(view.key().id.toString(), view.key().name,
                    view.roles().stream().map(r -> new RoleRef(r.id.toString(), r.value, r.name)).toList(),
                    view.key().createdAt, view.key().lastUsedAt, view.key().expiresAt, view.token());
        }
    }

    public record AccessKeyList(int totalResults, List<AccessKey> items) {
    }
}
