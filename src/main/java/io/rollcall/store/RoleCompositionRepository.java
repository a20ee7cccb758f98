package io.rollcall.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import io.rollcall.resource.Ids;

/**
 * What a custom role is made of: the policies it picks (managed or the organization's, found through
 * {@link PolicyRepository#findByReference}), and the permissions ticked for it, kept as one allow statement in a policy
 * private to the role ({@code policies.role_id}).
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

    /** The permissions ticked for the role (its private policy's statement), empty when none. */
    public Uni<List<String>> tickedPermissions(UUID roleId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT array_to_string(s.permissions, ',') FROM policies p JOIN policy_statements s ON s.policy_id = p.id
                 WHERE p.role_id = :role ORDER BY s.position
                """, String.class).setParameter("role", roleId).getResultList())
                .map(rows -> {
                    List<String> keys = new ArrayList<>();
                    rows.forEach(row -> keys.addAll(Arrays.asList(row.split(","))));
                    return keys;
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

    /** Replaces the role's private policy with one allowing exactly {@code permissions} everywhere (none: no policy). */
    public Uni<Void> replacePermissions(UUID orgId, UUID roleId, List<String> permissions) {
        UUID policyId = Ids.timeOrdered();
        // two statements: role_policies → policies is ON DELETE RESTRICT, checked before a CTE's delete is seen
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                DELETE FROM role_policies WHERE role_id = :role
                   AND policy_id IN (SELECT id FROM policies WHERE role_id = :role)
                """).setParameter("role", roleId).executeUpdate()
                .chain(() -> session.createNativeQuery("DELETE FROM policies WHERE role_id = :role")
                        .setParameter("role", roleId).executeUpdate())
                .chain(() -> permissions.isEmpty() ? Uni.createFrom().item(0) : session.createNativeQuery("""
                        WITH policy AS (
                            INSERT INTO policies (id, org_id, name, description, type, role_id)
                            VALUES (:policy, :org, 'role-permissions:' || :roleName,
                                    'Permissions ticked for one custom role', 'organization', :role)
                            RETURNING id),
                             statement AS (
                            INSERT INTO policy_statements (policy_id, position, effect, permissions, resources)
                            SELECT id, 0, 'allow', string_to_array(:permissions, ','), '{*}' FROM policy)
                        INSERT INTO role_policies (role_id, policy_id) SELECT :role, id FROM policy
                        """).setParameter("policy", policyId).setParameter("org", orgId).setParameter("role", roleId)
                        .setParameter("roleName", roleId.toString())
                        .setParameter("permissions", String.join(",", permissions)).executeUpdate()))
                .replaceWithVoid();
    }
}
