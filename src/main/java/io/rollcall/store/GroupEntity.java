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
 * A SCIM Group. {@link #data} holds the SCIM representation without {@code members}, which live in
 * {@code group_members} and change by deltas. {@link #version} and {@link #updatedAt} count changes to the document;
 * membership-only changes count in {@code group_versions}, and the group's ETag is both ({@link GroupVersionCounters}).
 */
@Entity
@Table(name = "groups")
public class GroupEntity {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "external_id")
    public String externalId;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "data::text", write = "cast(cast(? as text) as jsonb)")
    public String data;

    @Version
    @Column(nullable = false)
    public long version;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
