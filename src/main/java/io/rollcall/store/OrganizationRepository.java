package io.rollcall.store;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

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
}
