package io.rollcall.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.rollcall.resource.Ids;

/** A customer organization: the tenant every other row belongs to. */
@Entity
@Table(name = "organizations")
public class OrganizationEntity {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** When the platform operator suspended it (its tokens are refused); null while active. */
    @Column(name = "suspended_at")
    public Instant suspendedAt;

    public static OrganizationEntity create(String name) {
        OrganizationEntity organization = new OrganizationEntity();
        organization.id = Ids.timeOrdered();
        organization.name = name;
        organization.createdAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        return organization;
    }
}
