package io.rollcall.service;

/**
 * What a create, replace or patch asks to store for a user: the canonical SCIM document (JSON, without id, meta,
 * groups or password) and the values kept beside it in their own columns.
 *
 * @param password the new clear-text password if the request set one (hashed before storing), else null
 */
public record UserWrite(String userName, String externalId, String displayName, boolean active, String data,
        String password) {
}
