package io.rollcall.store;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollcall.access.ManagedPolicies.ManagedPolicy;
import io.rollcall.access.ManagedRole;
import io.rollcall.access.Permission;
import io.rollcall.access.Statement;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Writes the platform-owned part of the access model (permission catalogue, managed policies, managed roles) from code
 * into the database. Each write is one statement over a JSON document, idempotent, and safe to run at every start.
 */
@ApplicationScoped
public class CatalogueRepository {

    private static final String UPSERT_PERMISSIONS = """
            WITH input AS (SELECT * FROM jsonb_to_recordset(CAST(CAST(:json AS text) AS jsonb))
                                   AS x(key text, section text, level text, description text)),
                 removed AS (DELETE FROM permissions WHERE key NOT IN (SELECT key FROM input))
            INSERT INTO permissions (key, section, level, description)
            SELECT key, section, level, description FROM input
            ON CONFLICT (key) DO UPDATE
               SET section = EXCLUDED.section, level = EXCLUDED.level, description = EXCLUDED.description
            """;

    private static final String UPSERT_MANAGED_POLICIES = """
            INSERT INTO policies (id, org_id, name, description, type)
            SELECT id, NULL, name, description, 'managed'
              FROM jsonb_to_recordset(CAST(CAST(:json AS text) AS jsonb)) AS x(id uuid, name text, description text)
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description
            """;

    private static final String CLEAR_MANAGED_STATEMENTS = """
            DELETE FROM policy_statements WHERE policy_id IN (SELECT id FROM policies WHERE type = 'managed')
            """;

    private static final String INSERT_MANAGED_STATEMENTS = """
            INSERT INTO policy_statements (policy_id, position, effect, permissions, resources)
            SELECT policy_id, position, effect,
                   ARRAY(SELECT jsonb_array_elements_text(permissions)),
                   ARRAY(SELECT jsonb_array_elements_text(resources))
              FROM jsonb_to_recordset(CAST(CAST(:json AS text) AS jsonb))
                   AS x(policy_id uuid, position int, effect text, permissions jsonb, resources jsonb)
            """;

    /** One organization's managed roles, as {@link #UPSERT_MANAGED_ROLES} writes them for all. */
    private static final String INSERT_MANAGED_ROLES_OF = """
            INSERT INTO roles (id, org_id, value, name, description, type, internal)
            SELECT gen_random_uuid(), :org, x.value, x.name, x.description, 'managed', x.internal
              FROM jsonb_to_recordset(CAST(CAST(:json AS text) AS jsonb))
                   AS x(value text, name text, description text, internal boolean, policies jsonb)
            """;

    private static final String INSERT_MANAGED_ROLE_POLICIES_OF = """
            INSERT INTO role_policies (role_id, policy_id)
            SELECT r.id, p.id
              FROM jsonb_to_recordset(CAST(CAST(:json AS text) AS jsonb)) AS x(value text, policies jsonb)
              JOIN roles r ON r.org_id = :org AND r.value = x.value AND r.type = 'managed'
              JOIN policies p ON p.type = 'managed' AND p.name IN (SELECT jsonb_array_elements_text(x.policies))
            """;

    private static final String UPSERT_MANAGED_ROLES = """
            INSERT INTO roles (id, org_id, value, name, description, type, internal)
            SELECT gen_random_uuid(), o.id, x.value, x.name, x.description, 'managed', x.internal
              FROM jsonb_to_recordset(CAST(CAST(:json AS text) AS jsonb))
                   AS x(value text, name text, description text, internal boolean, policies jsonb)
             CROSS JOIN organizations o
            ON CONFLICT (org_id, value) DO UPDATE
               SET name = EXCLUDED.name, description = EXCLUDED.description, internal = EXCLUDED.internal,
                   updated_at = now()
             WHERE roles.type = 'managed'
               AND (roles.name, roles.description, roles.internal)
                   IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, EXCLUDED.internal)
            """;

    private static final String REPLACE_MANAGED_ROLE_POLICIES = """
            WITH input AS (SELECT r.id AS role_id, p.id AS policy_id
                             FROM jsonb_to_recordset(CAST(CAST(:json AS text) AS jsonb)) AS x(value text, policies jsonb)
                             JOIN roles r ON r.value = x.value AND r.type = 'managed'
                             JOIN policies p ON p.type = 'managed'
                                            AND p.name IN (SELECT jsonb_array_elements_text(x.policies))),
                 cleared AS (DELETE FROM role_policies
                              WHERE role_id IN (SELECT id FROM roles WHERE type = 'managed')
                                AND (role_id, policy_id) NOT IN (SELECT role_id, policy_id FROM input))
            INSERT INTO role_policies (role_id, policy_id) SELECT role_id, policy_id FROM input
            ON CONFLICT DO NOTHING
            """;

    /** The id of a managed policy, the same in every database so that upserts find it. */
    public static UUID managedPolicyId(String name) {
        return UUID.nameUUIDFromBytes(("rollcall:managed-policy:" + name).getBytes(StandardCharsets.UTF_8));
    }

    public Uni<Void> writePermissions(List<Permission> permissions) {
        JsonArray json = new JsonArray();
        permissions.forEach(p -> json.add(new JsonObject().put("key", p.key()).put("section", p.section())
                .put("level", p.level().wire()).put("description", p.description())));
        return execute(UPSERT_PERMISSIONS, json);
    }

    public Uni<Void> writeManagedPolicies(List<ManagedPolicy> policies) {
        JsonArray rows = new JsonArray();
        JsonArray statements = new JsonArray();
        for (ManagedPolicy policy : policies) {
            UUID id = managedPolicyId(policy.name());
            rows.add(new JsonObject().put("id", id.toString()).put("name", policy.name())
                    .put("description", policy.description()));
            for (int i = 0; i < policy.statements().size(); i++) {
                Statement statement = policy.statements().get(i);
                statements.add(new JsonObject().put("policy_id", id.toString()).put("position", i)
                        .put("effect", statement.effect().wire())
                        .put("permissions", new JsonArray(statement.permissions()))
                        .put("resources", new JsonArray(statement.resources())));
            }
        }
        return execute(UPSERT_MANAGED_POLICIES, rows)
                .chain(() -> Panache.getSession().chain(s -> s.createNativeQuery(CLEAR_MANAGED_STATEMENTS).executeUpdate()))
                .chain(() -> execute(INSERT_MANAGED_STATEMENTS, statements));
    }

    /** Adds missing managed roles to every organization and aligns their policies with the code. */
    public Uni<Void> writeManagedRoles(List<ManagedRole> roles) {
        JsonArray json = rolesJson(roles);
        return execute(UPSERT_MANAGED_ROLES, json).chain(() -> execute(REPLACE_MANAGED_ROLE_POLICIES, json));
    }

    /** Gives a new organization the managed roles, made of the managed policies (which every organization shares). */
    public Uni<Void> writeManagedRolesOf(UUID orgId, List<ManagedRole> roles) {
        JsonArray json = rolesJson(roles);
        return Panache.getSession().chain(session -> session.createNativeQuery(INSERT_MANAGED_ROLES_OF)
                .setParameter("org", orgId).setParameter("json", json.encode()).executeUpdate()
                .chain(() -> session.createNativeQuery(INSERT_MANAGED_ROLE_POLICIES_OF)
                        .setParameter("org", orgId).setParameter("json", json.encode()).executeUpdate()))
                .replaceWithVoid();
    }

    private static JsonArray rolesJson(List<ManagedRole> roles) {
        JsonArray json = new JsonArray();
        roles.forEach(role -> json.add(new JsonObject().put("value", role.value()).put("name", role.name())
                .put("description", role.description()).put("internal", role.internal())
                .put("policies", new JsonArray(role.policyNames()))));
        return json;
    }

    private static Uni<Void> execute(String sql, JsonArray json) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(sql).setParameter("json", json.encode()).executeUpdate())
                .replaceWithVoid();
    }
}
