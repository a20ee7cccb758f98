package io.rollcall.service;

import java.util.UUID;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ForbiddenException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;

import io.rollcall.access.PolicyEvaluator;
import io.rollcall.access.Principal;
import io.smallrye.mutiny.Uni;

/**
 * The checks every admin operation starts with: the caller holds the named permission (403 naming it otherwise), and the
 * small error factories the admin services share, so that the client sees one wording for one mistake.
 */
final class CallerChecks {

    private CallerChecks() {
    }

    /** The caller holds {@code permission} on the organization as a whole. */
    static void require(Principal caller, String permission, String action) {
        if (!caller.allows(permission)) {
            throw forbidden(caller, permission, action);
        }
    }

    /** {@link #require} when subscribed: an operation's first step. */
    static Uni<Void> checked(Principal caller, String permission, String action) {
        return Uni.createFrom().item(() -> {
            require(caller, permission, action);
            return null;
        });
    }

    /**
     * The caller holds {@code permission} in the workspace: through an organization-wide binding, or one scoped to that
     * workspace (a workspace-level permission only).
     */
    static void requireIn(Principal caller, String permission, UUID workspaceId, String action) {
        if (!PolicyEvaluator.evaluate(caller.grants(), permission, workspaceId.toString()).allowed()) {
            throw forbidden(caller, permission, action);
        }
    }

    static ScimFailure invalid(String detail) {
        return ScimFailure.of(BadRequestException.invalidValue(detail));
    }

    static ScimFailure notFound(String detail) {
        return ScimFailure.of(new ResourceNotFoundException(detail));
    }

    private static ScimFailure forbidden(Principal caller, String permission, String action) {
        return ScimFailure.of(new ForbiddenException("To " + action + " the caller needs the " + permission
                + " permission (Organization Owner has it); this key holds " + caller.roles()));
    }
}
