package io.rollcall.admin;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.rollcall.access.Grant;
import io.rollcall.admin.RoleBindingJson.RoleRef;
import io.rollcall.admin.RoleBindingJson.WorkspaceRef;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.AuthzService;
import io.rollcall.service.AuthzService.Check;
import io.rollcall.service.AuthzService.Reason;
import io.rollcall.service.AuthzService.ReachingBinding;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /admin/v1/authz/check?principal=<kind>:<id>&permission=<key>[&workspace=<id|name>]}: whether a user, group
 * or access key holds a permission on the organization or in a workspace, and why. Needs {@code roles:read}.
 *
 * <pre>
 * {"decision": "allow", "principal": {"kind": "user", "id": "…"}, "permission": "campaigns:launch",
 *  "workspace": {"id": "…", "name": "Marketing"},
 *  "explanation": {
 *    "bindings": [{"id": "…", "principal": {"kind": "group", "id": "…"}, "role": {…}, "workspace": null,
 *                  "source": "local", "appliesHere": true}],
 *    "statements": [{"bindingId": "…", "role": "campaign-manager", "policy": "CampaignsLaunch", "effect": "allow",
 *                    "permissions": ["campaigns:launch"], "resources": ["*"]}]},
 *  "reason": "Allowed: policy 'CampaignsLaunch' of role 'campaign-manager' allows campaigns:launch …"}
 * </pre>
 *
 * {@code bindings} are every binding reaching the principal (for a user, its groups' too); {@code statements} are the
 * ones behind the decision: the denying ones if a deny matched, else the allowing ones (none when nothing matched).
 */
@Path("/admin/v1/authz/check")
@Produces(MediaType.APPLICATION_JSON)
public class AuthzEndpoint {

    public record PrincipalRef(String kind, String id) {
    }

    public record BindingJson(String id, PrincipalRef principal, RoleRef role, WorkspaceRef workspace, String source,
            boolean appliesHere) {

        static BindingJson of(ReachingBinding reaching) {
            var b = reaching.binding();
            return new BindingJson(b.id().toString(), new PrincipalRef(b.principalKind(), b.principalId().toString()),
                    new RoleRef(b.roleId().toString(), b.roleValue(), b.roleName()),
                    b.workspaceId() == null ? null : new WorkspaceRef(b.workspaceId().toString(), b.workspaceName()),
                    b.source(), reaching.appliesHere());
        }
    }

    public record StatementJson(String bindingId, String role, String policy, String effect, List<String> permissions,
            List<String> resources) {

        static StatementJson of(Reason reason) {
            Grant grant = reason.grant();
            return new StatementJson(reason.bindingId() == null ? null : reason.bindingId().toString(), grant.role(),
                    grant.policy(), grant.statement().effect().wire(), grant.statement().permissions(),
                    grant.statement().resources());
        }
    }

    public record Explanation(List<BindingJson> bindings, List<StatementJson> statements) {
    }

    public record CheckJson(String decision, PrincipalRef principal, String permission, WorkspaceRef workspace,
            Explanation explanation, String reason) {

        static CheckJson of(Check check) {
            return new CheckJson(check.allowed() ? "allow" : "deny",
                    new PrincipalRef(check.kind().wire(), check.principalId().toString()), check.permission().key(),
                    check.workspace() == null ? null
                            : new WorkspaceRef(check.workspace().id.toString(), check.workspace().name),
                    new Explanation(check.bindings().stream().map(BindingJson::of).toList(),
                            check.statements().stream().map(StatementJson::of).toList()),
                    check.reason());
        }
    }

    private final AuthzService authz;
    private final CurrentCaller caller;

    public AuthzEndpoint(AuthzService authz, CurrentCaller caller) {
        this.authz = authz;
        this.caller = caller;
    }

    @GET
    public Uni<CheckJson> check(@QueryParam("principal") String principal, @QueryParam("permission") String permission,
            @QueryParam("workspace") String workspace) {
        return authz.check(caller.get(), principal, permission, workspace).map(CheckJson::of);
    }
}
