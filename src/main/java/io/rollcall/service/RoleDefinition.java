package io.rollcall.service;

import java.util.List;

/**
 * What a create, replace or patch asks a custom role to be.
 *
 * @param value       the stable slug; null on create derives it from the name
 * @param policies    policy ids or names (managed or the organization's)
 * @param permissions catalogue keys granted through a policy private to the role; null leaves them as they are
 * @param copyFrom    on create, the role (value, id or name) to duplicate; null otherwise
 */
public record RoleDefinition(String name, String description, String value, List<String> policies,
        List<String> permissions, String copyFrom) {
}
