package io.rollcall.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import io.rollcall.resource.Ids;

/**
 * What a custom role is made of: the policies it picks (managed or the organization's, found through
 * {@link PolicyRepository#findByReference}), and the permissions ticked for it, kept as allow statements in a policy
 * private to the role ({@code policies.role_id}): one over {@code *}, and one per set of workspaces a permission is
 * scoped to.
 */
@ApplicationScoped
public class RoleCompositionRepository {

    /** The picked (not private) policies of the role. */
    public Uni<List<UUID>> pickedPolicies(UUID roleId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT CAST(rp.policy_id AS text) FROM role_policies rp JOIN policies p ON p.id = rp.policy_id
                 WHERE rp.role_id = :role AND p.role_id IS NULL ORDER BY p.name
                """, String.class).setParameter("role", roleId).getResultList())
                .map(ids -> ids.stream().map(UUID::fromString).toList());
    }

    /**
     * The permissions ticked for the role (its private policy's statements), empty when none: a key granted in every
     * workspace as itself, one granted only in some workspaces as {@code key@<workspace id>} once per workspace (what
     * {@link #replacePermissions} takes back).
     */
    public Uni<List<String>> tickedPermissions(UUID roleId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT array_to_string(s.permissions, ','), array_to_string(s.resources, ',')
                  FROM policies p JOIN policy_statements s ON s.policy_id = p.id
                 WHERE p.role_id = :role ORDER BY s.position
                """, Object[].class).setParameter("role", roleId).getResultList())
                .map(rows -> {
                    List<String> keys = new ArrayList<>();
                    for (Object[] row : rows) {
                        List<String> resources = Arrays.asList(((String) row[1]).split(","));
                        for (String key : ((String) row[0]).split(",")) {
                            if (resources.contains("*")) {
                                keys.add(key);
                            } else {
                                resources.forEach(workspace -> keys.add(key + "@" + workspace));
                            }
                        }
                    }
                    return keys;
                });
    }

    /**
     * The permissions the organization's custom roles tick only in some workspaces: role id → key → workspace ids, in
     * one query (the admin API shows them as {@code {"key", "workspaces"}}).
     */
    public Uni<Map<UUID, Map<String, List<String>>>> scopedTicks(UUID orgId, UUID roleIdOrNull) {
        String sql = """
                SELECT CAST(p.role_id AS text), k, array_to_string(s.resources, ',')
                  FROM policies p JOIN policy_statements s ON s.policy_id = p.id, unnest(s.permissions) AS k
                 WHERE p.org_id = :org AND p.role_id IS NOT NULL AND NOT ('*' = ANY (s.resources))
                """ + (roleIdOrNull == null ? "" : " AND p.role_id = :role") + " ORDER BY s.position";
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql, Object[].class).setParameter("org", orgId);
            if (roleIdOrNull != null) {
                query.setParameter("role", roleIdOrNull);
            }
            return query.getResultList();
        })
                .map(rows -> {
                    Map<UUID, Map<String, List<String>>> ticks = new HashMap<>();
                    for (Object[] row : rows) {
                        ticks.computeIfAbsent(UUID.fromString((String) row[0]), id -> new LinkedHashMap<>())
                                .computeIfAbsent((String) row[1], key -> new ArrayList<>())
                                .addAll(Arrays.asList(((String) row[2]).split(",")));
                    }
                    return ticks;
                });
    }

    public Uni<Void> replacePolicies(UUID roleId, List<UUID> policyIds) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                DELETE FROM role_policies rp USING policies p
                 WHERE rp.role_id = :role AND p.id = rp.policy_id AND p.role_id IS NULL
                """).setParameter("role", roleId).executeUpdate()
                .chain(() -> policyIds.isEmpty() ? Uni.createFrom().item(0) : session.createNativeQuery("""
                        INSERT INTO role_policies (role_id, policy_id)
                        SELECT :role, CAST(p AS uuid) FROM unnest(string_to_array(:policies, ',')) AS p
                        ON CONFLICT DO NOTHING
                        """).setParameter("role", roleId)
                        .setParameter("policies", String.join(",", policyIds.stream().map(UUID::toString).toList()))
                        .executeUpdate()))
                .replaceWithVoid();
    }

    /** One ticked permission: everywhere ({@code workspaces} empty) or in these workspaces only. */
    public record Tick(String key, List<UUID> workspaces) {
    }

    /**
     * Replaces the role's private policy with one allowing exactly {@code ticks} (none: no policy): one allow statement
     * over {@code *} for the permissions ticked everywhere, then one per set of workspaces for the scoped ones (their
     * resources are workspace ids).
     */
    public Uni<Void> replacePermissions(UUID orgId, UUID roleId, List<Tick> ticks) {
        UUID policyId = Ids.timeOrdered();
        Map<List<String>, List<String>> statements = new LinkedHashMap<>();
        ticks.stream().filter(t -> t.workspaces().isEmpty())
                .forEach(t -> statements.computeIfAbsent(List.of("*"), r -> new ArrayList<>()).add(t.key()));
        ticks.stream().filter(t -> !t.workspaces().isEmpty())
                .forEach(t -> statements.computeIfAbsent(t.workspaces().stream().map(UUID::toString).sorted().toList(),
                        r -> new ArrayList<>()).add(t.key()));
        // two statements: role_policies → policies is ON DELETE RESTRICT, checked before a CTE's delete is seen
        return Panache.getSession().chain(session -> {
            Uni<Integer> written = session.createNativeQuery("""
                    DELETE FROM role_policies WHERE role_id = :role
                       AND policy_id IN (SELECT id FROM policies WHERE role_id = :role)
                    """).setParameter("role", roleId).executeUpdate()
                    .chain(() -> session.createNativeQuery("DELETE FROM policies WHERE role_id = :role")
                            .setParameter("role", roleId).executeUpdate());
            if (ticks.isEmpty()) {
                return written.replaceWithVoid();
            }
            written = written.chain(() -> session.createNativeQuery("""
                    INSERT INTO policies (id, org_id, name, description, type, role_id)
                    VALUES (:policy, :org, 'role-permissions:' || :roleName,
                            'Permissions ticked for one custom role', 'organization', :role)
                    """).setParameter("policy", policyId).setParameter("org", orgId).setParameter("role", roleId)
                    .setParameter("roleName", roleId.toString()).executeUpdate());
            int position = 0;
            for (Map.Entry<List<String>, List<String>> statement : statements.entrySet()) {
                int at = position++;
                written = written.chain(() -> session.createNativeQuery("""
                        INSERT INTO policy_statements (policy_id, position, effect, permissions, resources)
                        VALUES (:policy, :position, 'allow', string_to_array(:permissions, ','),
                                string_to_array(:resources, ','))
                        """).setParameter("policy", policyId).setParameter("position", at)
                        .setParameter("permissions", String.join(",", statement.getValue()))
                        .setParameter("resources", String.join(",", statement.getKey())).executeUpdate());
            }
            return written.chain(() -> session.createNativeQuery(
                    "INSERT INTO role_policies (role_id, policy_id) VALUES (:role, :policy)")
                    .setParameter("role", roleId).setParameter("policy", policyId).executeUpdate())
                    .replaceWithVoid();
        });
    }
}
