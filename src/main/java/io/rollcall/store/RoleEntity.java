package io.rollcall.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A role of one organization, managed (seeded from {@code io.rollcall.access.ManagedRoles}) or custom. */
@Entity
@Table(name = "roles")
public class RoleEntity {

    public static final String MANAGED = "managed";
    public static final String CUSTOM = "custom";

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    /** The stable slug identity providers send. */
    @Column(nullable = false)
    public String value;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String description;

    /** {@link #MANAGED} or {@link #CUSTOM}. */
    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public boolean internal;

    @Version
    @Column(nullable = false)
    public long version;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
