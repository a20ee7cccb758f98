package io.rollcall.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.rollcall.access.Principal;
import io.rollcall.store.ChangeEventRow;

/**
 * One change as the audit log records it and the change events announce it, filled in while the change runs: the
 * service names the action and resource when it starts ({@code user.replace} on {@code User}), and learns the rest
 * (a new resource's id, the attributes set, the events) as it goes. {@link ChangeLog} writes it when the change ends.
 * An attempt that PostgreSQL rolls back to break a deadlock starts again from what was known before it.
 */
public final class AuditedChange {

    final Principal caller;
    final String action;
    final String resourceType;
    int successStatus;
    private Baseline baseline;
    private UUID orgId;
    private String resourceId;
    private final Set<String> attributes = new LinkedHashSet<>();
    private final List<ChangeEventRow> events = new ArrayList<>();
    private final Set<UUID> usersWithNewRoles = new LinkedHashSet<>();
    private final Set<UUID> groupsWithNewRoles = new LinkedHashSet<>();
    /** Set once a statement of the change wrote its audit row: whether the organization has event subscriptions. */
    private Boolean recordedWithSubscriptions;

    private AuditedChange(Principal caller, String action, String resourceType, Object resourceId, int successStatus) {
        this.caller = caller;
        this.action = action;
        this.resourceType = resourceType;
        this.resourceId = resourceId == null ? null : resourceId.toString();
        this.orgId = caller.orgId();
        this.successStatus = successStatus;
    }

    /** A create: 201 when it succeeds; the id is learnt with {@link #resource}. */
    public static AuditedChange create(Principal caller, String resourceType, String noun) {
        return new AuditedChange(caller, noun + ".create", resourceType, null, 201);
    }

    /** A delete of the resource: 204 when it succeeds. */
    public static AuditedChange delete(Principal caller, String resourceType, String noun, Object id) {
        return new AuditedChange(caller, noun + ".delete", resourceType, id, 204);
    }

    /** Any other change ({@code verb}: replace, patch, update, revoke…) of the resource: 200 when it succeeds. */
    public static AuditedChange of(Principal caller, String resourceType, String noun, String verb, Object id) {
        return new AuditedChange(caller, noun + "." + verb, resourceType, id, 200);
    }

    /** The status a success answers with, when not the usual one (204 for a membership PATCH). */
    public AuditedChange status(int status) {
        this.successStatus = status;
        return this;
    }

    /** The change's resource, once known (a create's new id). */
    public AuditedChange resource(Object id) {
        this.resourceId = id == null ? null : id.toString();
        return this;
    }

    /** The organization the change belongs to, when it is not the caller's (the operator's changes). */
    public AuditedChange organization(UUID orgId) {
        this.orgId = orgId;
        return this;
    }

    /** Names of attributes the change set (never values). */
    public AuditedChange attributes(Collection<String> names) {
        attributes.addAll(names);
        return this;
    }

    public AuditedChange attribute(String name) {
        attributes.add(name);
        return this;
    }

    /** A change event to write with the audit row ({@code change_events}, V15 vocabulary). */
    AuditedChange event(String eventType, String eventResourceType, UUID id, String payload) {
        events.add(new ChangeEventRow(eventType, eventResourceType, id, payload));
        return this;
    }

    /** The user's own role bindings changed: {@code user.roles_changed} with the roles it holds at commit. */
    AuditedChange userRolesChanged(UUID userId) {
        usersWithNewRoles.add(userId);
        return this;
    }

    /** The group's role bindings changed: {@code group.roles_changed} with the roles it holds at commit. */
    AuditedChange groupRolesChanged(UUID groupId) {
        groupsWithNewRoles.add(groupId);
        return this;
    }

    /** Takes in what a part of this change learnt ({@link ChangeLog#run} nested in another). */
    void absorb(AuditedChange part) {
        if (resourceId == null) {
            resourceId = part.resourceId;
        }
        attributes.addAll(part.attributes);
        events.addAll(part.events);
        usersWithNewRoles.addAll(part.usersWithNewRoles);
        groupsWithNewRoles.addAll(part.groupsWithNewRoles);
    }

    /**
     * Called as each attempt starts: the first notes what was known before the change ran, later ones (after a rollback)
     * go back to it, forgetting what the rolled-back attempt learnt.
     */
    void restart() {
        if (baseline == null) {
            baseline = new Baseline(resourceId, List.copyOf(attributes), List.copyOf(events));
            return;
        }
        resourceId = baseline.resourceId();
        attributes.clear();
        attributes.addAll(baseline.attributes());
        events.clear();
        events.addAll(baseline.events());
        usersWithNewRoles.clear();
        groupsWithNewRoles.clear();
        recordedWithSubscriptions = null;
    }

    /** A statement of the change wrote its audit row; {@code subscriptions}: whether its events are to be written. */
    void recorded(boolean subscriptions) {
        recordedWithSubscriptions = subscriptions;
    }

    boolean isRecorded() {
        return recordedWithSubscriptions != null;
    }

    boolean hasSubscriptions() {
        return Boolean.TRUE.equals(recordedWithSubscriptions);
    }

    private record Baseline(String resourceId, List<String> attributes, List<ChangeEventRow> events) {
    }

    UUID orgId() {
        return orgId;
    }

    String resourceId() {
        return resourceId;
    }

    List<String> attributeNames() {
        return List.copyOf(attributes);
    }

    List<ChangeEventRow> events() {
        return events;
    }

    Set<UUID> usersWithNewRoles() {
        return usersWithNewRoles;
    }

    Set<UUID> groupsWithNewRoles() {
        return groupsWithNewRoles;
    }
}
