package io.rollcall.store;

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
                .chain(session -> session.createNativeQuery("SELECT pg_advisory_xact_lock(8207411)").getSingleResult())
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
