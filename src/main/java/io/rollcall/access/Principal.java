package io.rollcall.access;

import java.util.List;
import java.util.UUID;

/**
 * Who is calling, as the store knew it a moment ago: the organization, the principal, the roles it holds and the
 * statements those roles reach it with.
 *
 * @param kind  {@code access_key} for tokens; users and groups reach the evaluator the same way; {@code operator} for
 *              the platform operator, whose {@code orgId} is null
 * @param roles values of the roles bound to the principal
 */
public record Principal(UUID orgId, String kind, UUID id, String name, List<String> roles, List<Grant> grants) {

    public static final String OPERATOR = "operator";

    public Principal {
        roles = List.copyOf(roles);
        grants = List.copyOf(grants);
    }

    /** Whether the principal holds the permission on the organization as a whole. */
    public boolean allows(String permission) {
        return PolicyEvaluator.allows(grants, permission);
    }

    /** The platform operator: it manages organizations and belongs to none, so it holds nothing inside one. */
    public static Principal operator() {
        return new Principal(null, OPERATOR, null, "platform operator", List.of(), List.of());
    }

    public boolean isOperator() {
        return OPERATOR.equals(kind) && orgId == null;
    }

    public boolean holds(String roleValue) {
        return roles.contains(roleValue);
    }
}
