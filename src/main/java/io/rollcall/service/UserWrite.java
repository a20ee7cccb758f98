package io.rollcall.service;

import java.util.List;

/**
 * What a create, replace or patch asks to store for a user: the canonical SCIM document (JSON, without id, meta,
 * groups, roles or password) and the values kept beside it in their own columns.
 *
 * @param password the new clear-text password if the request set one (hashed before storing), else null
 * @param roles    role references the identity provider binds to the user ({@code value}, id or name, optionally
 *                 {@code @workspace}); null when the request does not speak of roles, which leaves them as they are
 */
public record UserWrite(String userName, String externalId, String displayName, boolean active, String data,
        String password, List<String> roles) {
}
