package io.rollcall.access;

import java.util.List;
import java.util.Set;

/**
 * A role the platform seeds in every organization. Only its membership may change.
 *
 * @param value       the stable slug identity providers send ({@code scim-client})
 * @param internal    internal roles are never listed to customers nor assignable
 * @param permissions what the role grants; its policies are the managed ones {@linkplain ManagedPolicies#covering covering} it
 */
public record ManagedRole(String value, String name, String description, boolean internal, Set<String> permissions) {

    public ManagedRole {
        permissions = Set.copyOf(permissions);
    }

    public List<String> policyNames() {
        return ManagedPolicies.covering(permissions);
    }
}
