package io.rollcall.store;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.rollcall.access.OrganizationSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

@ApplicationScoped
public class OrganizationRepository implements PanacheRepositoryBase<OrganizationEntity, UUID> {

    public Uni<OrganizationEntity> findByName(String name) {
        return find("name", name).firstResult();
    }

    /**
     * Serialises first-start bootstrapping across instances sharing one database, until the transaction ends.
     */
    public Uni<Void> lockBootstrap() {
        return getSession()
                .chain(session -> session.createNativeQuery("SELECT pg_advisory_xact_lock(" + AdvisoryLocks.BOOTSTRAP + ")")
                        .getSingleResult())
                .replaceWithVoid();
    }

    /** How much an organization holds, for the platform operator. */
    public record Counts(long users, long groups, long roles, long accessKeys) {
    }

    private static final String COUNTS = """
            SELECT (SELECT COALESCE(sum(n), 0) FROM resource_counts WHERE org_id = :org AND resource = 'users'),
                   (SELECT COALESCE(sum(n), 0) FROM resource_counts WHERE org_id = :org AND resource = 'groups'),
                   (SELECT count(*) FROM roles WHERE org_id = :org AND NOT internal),
                   (SELECT count(*) FROM access_keys WHERE org_id = :org AND revoked_at IS NULL
                                                       AND (expires_at IS NULL OR expires_at > now()))
            """;

    /** A page of organizations by name (then id), and how many there are in all. */
    public Uni<Page<OrganizationEntity>> page(int offset, int limit) {
        return count().chain(total -> limit == 0 ? Uni.createFrom().item(new Page<>(total, List.<OrganizationEntity>of()))
                : find("order by lower(name), id").range(offset, offset + limit - 1).list()
                        .map(items -> new Page<>(total, items)));
    }

    public Uni<Counts> counts(UUID orgId) {
        return getSession().chain(session -> session.createNativeQuery(COUNTS, Object[].class)
                .setParameter("org", orgId).getSingleResult())
                .map(row -> new Counts(((Number) row[0]).longValue(), ((Number) row[1]).longValue(),
                        ((Number) row[2]).longValue(), ((Number) row[3]).longValue()));
    }

    /** Whether the organization exists and is not suspended. */
    public Uni<Boolean> isActive(UUID orgId) {
        return getSession().chain(session -> session.createNativeQuery(
                "SELECT CAST(id AS text) FROM organizations WHERE id = :org AND suspended_at IS NULL", String.class)
                .setParameter("org", orgId).getResultList())
                .map(rows -> !rows.isEmpty());
    }

    /**
     * Removes the organization and every row it owns. Some rows go first: memberships, audit rows and change events,
     * which carry no foreign key (it cost a lock per added member or per change; see V6, V9 and V17), and roles' links
     * to policies, which restrict deleting a policy (so that a used policy is detached on purpose), as the cascade from
     * the organization would.
     */
    public Uni<Void> deleteWithEverything(UUID orgId) {
        return getSession().chain(session -> session.createNativeQuery("DELETE FROM group_members WHERE org_id = :org")
                .setParameter("org", orgId).executeUpdate()
                .chain(() -> session.createNativeQuery("DELETE FROM audit_events WHERE org_id = :org")
                        .setParameter("org", orgId).executeUpdate())
                .chain(() -> session.createNativeQuery("DELETE FROM change_events WHERE org_id = :org")
                        .setParameter("org", orgId).executeUpdate())
                .chain(() -> session.createNativeQuery(
                        "DELETE FROM role_policies WHERE role_id IN (SELECT id FROM roles WHERE org_id = :org)")
                        .setParameter("org", orgId).executeUpdate())
                .chain(() -> session.createNativeQuery("DELETE FROM organizations WHERE id = :org")
                        .setParameter("org", orgId).executeUpdate()))
                .replaceWithVoid();
    }

    public Uni<OrganizationSettings> settings(UUID orgId) {
        return getSession().chain(session -> session
                .createNativeQuery("SELECT CAST(settings AS text) FROM organizations WHERE id = :org", String.class)
                .setParameter("org", orgId).getSingleResult())
                .map(OrganizationRepository::toSettings);
    }

    /**
     * The settings, locked until the transaction ends (a concurrent change waits). The lock is {@code FOR NO KEY
     * UPDATE}: it does not block the key-share locks that inserting the organization's rows takes (role bindings…).
     */
    public Uni<OrganizationSettings> settingsForUpdate(UUID orgId) {
        return getSession().chain(session -> session
                .createNativeQuery("SELECT CAST(settings AS text) FROM organizations WHERE id = :org FOR NO KEY UPDATE",
                        String.class)
                .setParameter("org", orgId).getSingleResult())
                .map(OrganizationRepository::toSettings);
    }

    /** Writes the settings; a null {@code scimAssignableRoles} stores none, which reads back as the default. */
    public Uni<Void> writeSettings(UUID orgId, OrganizationSettings settings) {
        JsonObject json = new JsonObject().put("fallbackRole", settings.fallbackRole());
        if (settings.scimAssignableRoles() != null) {
            json.put("scimAssignableRoles", new JsonArray(settings.scimAssignableRoles().stream()
                    .map(UUID::toString).toList()));
        }
        return getSession().chain(session -> session
                .createNativeQuery("UPDATE organizations SET settings = (settings - 'scimAssignableRoles') "
                        + "|| CAST(CAST(:json AS text) AS jsonb) WHERE id = :org")
                .setParameter("json", json.encode()).setParameter("org", orgId).executeUpdate())
                .replaceWithVoid();
    }

    private static OrganizationSettings toSettings(String json) {
        JsonObject settings = new JsonObject(json);
        JsonArray assignable = settings.getJsonArray("scimAssignableRoles");
        return new OrganizationSettings(
                settings.getString("fallbackRole", OrganizationSettings.DEFAULT_FALLBACK_ROLE),
                assignable == null ? null : assignable.stream().map(id -> UUID.fromString((String) id)).toList());
    }
}
