package io.rollcall.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.rollcall.resource.Ids;

/** A workspace of an organization: the scope a role binding or a policy statement can be narrowed to. */
@Entity
@Table(name = "workspaces")
public class WorkspaceEntity {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    /** Unique per organization (any case), without {@code @}. */
    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String description;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static WorkspaceEntity create(UUID orgId, String name, String description) {
        WorkspaceEntity workspace = new WorkspaceEntity();
        workspace.id = Ids.timeOrdered();
        workspace.orgId = orgId;
        workspace.name = name;
        workspace.description = description == null ? "" : description;
        workspace.createdAt = Instant.now();
        return workspace;
    }
}
