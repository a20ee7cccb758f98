package io.rollcall.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.rollcall.access.Statement;

/**
 * A policy as the admin API shows it: managed (platform-made, {@code orgId} null) or {@code organization} (custom), its
 * statements in order, and the organization's visible roles that use it.
 */
public record PolicyRow(UUID id, UUID orgId, String name, String description, String type, long version,
        Instant createdAt, Instant updatedAt, List<Statement> statements, List<RoleRef> roles) {

    public static final String MANAGED = "managed";
    public static final String ORGANIZATION = "organization";

    /** A role using the policy. */
    public record RoleRef(UUID id, String value, String name) {
    }

    public PolicyRow {
        statements = List.copyOf(statements);
        roles = List.copyOf(roles);
    }

    public boolean isManaged() {
        return MANAGED.equals(type);
    }
}
