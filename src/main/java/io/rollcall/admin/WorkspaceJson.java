package io.rollcall.admin;

import java.time.Instant;
import java.util.List;

import io.rollcall.store.WorkspaceEntity;

/** The admin API's JSON shapes for workspaces. */
public final class WorkspaceJson {

    private WorkspaceJson() {
    }

    /** {@code POST /admin/v1/workspaces}: {@code description} optional. */
    public record CreateRequest(String name, String description) {
    }

    /** {@code PATCH /admin/v1/workspaces/{id}} (JSON merge patch): a field left out or null stays as it is. */
    public record PatchRequest(String name, String description) {
    }

    public record Workspace(String id, String name, String description, Instant createdAt) {

        static Workspace of(WorkspaceEntity workspace) {
            return new Workspace(workspace.id.toString(), workspace.name, workspace.description, workspace.createdAt);
        }
    }

    public record WorkspaceList(int totalResults, List<Workspace> items) {
    }
}
