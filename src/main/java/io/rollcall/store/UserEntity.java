package io.rollcall.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.ColumnTransformer;

/**
 * A SCIM User. {@link #data} is the SCIM representation as JSON (attribute names in their schema spelling; no id, meta,
 * password or groups); the columns beside it repeat what queries match and sort on, and are set from it on every write.
 */
@Entity
@Table(name = "users")
public class UserEntity {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    @Column(name = "user_name", nullable = false)
    public String userName;

    @Column(name = "external_id")
    public String externalId;

    @Column(name = "display_name")
    public String displayName;

    @Column(nullable = false)
    public boolean active;

    /** Written as text and cast by PostgreSQL, so that the JSON is stored exactly as the SCIM layer wrote it. */
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "data::text", write = "cast(cast(? as text) as jsonb)")
    public String data;

    /** A one-way hash of the write-only {@code password}; never returned, never logged. */
    @Column(name = "password_hash")
    public String passwordHash;

    @Version
    @Column(nullable = false)
    public long version;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
