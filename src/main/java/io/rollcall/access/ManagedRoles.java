package io.rollcall.access;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The managed roles seeded in every organization (see the product's "Access roles" page and ACCESS-MODEL.md). */
public final class ManagedRoles {

    public static final String ORGANIZATION_OWNER = "organization-owner";
    public static final String WORKSPACE_OWNER = "workspace-owner";
    public static final String INBOX_AGENT = "inbox-agent";
    public static final String SCIM_CLIENT = "scim-client";
    public static final String VISITOR = "visitor";
    public static final String CHAT_WIDGET = "chat-widget";

    private static final List<ManagedRole> ROLES = List.of(
            new ManagedRole(ORGANIZATION_OWNER, "Organization Owner",
                    "The most privileged role: views all content and settings across the organization and alters any of "
                            + "them, including users, security, billing, channels and workspaces.",
                    false, permissions(p -> !p.key().equals(PermissionCatalogue.SCIM_PROVISION))),
            new ManagedRole(WORKSPACE_OWNER, "Workspace Owner",
                    "Manages all aspects of every workspace (campaigns, channels, contacts, ...) and sees all content; no "
                            + "user management, billing, security, or adding and removing workspaces.",
                    false, permissions(p -> p.level() == Permission.Level.WORKSPACE
                            || Set.of("workspaces:read", "users:read", "groups:read").contains(p.key()))),
            new ManagedRole(INBOX_AGENT, "Inbox Agent",
                    "Works conversations in the Inbox across all workspaces; cannot change organization or workspace "
                            + "settings.",
                    false, Set.of("inbox:read", "inbox:reply", "inbox:assign", "inbox:close", "contacts:read",
                            "contacts:update", "templates:read", "channels:read")),
            new ManagedRole(SCIM_CLIENT, "SCIM Client",
                    "Lets an identity provider provision users, groups and role membership over SCIM. Access keys only.",
                    false, Set.of(PermissionCatalogue.SCIM_PROVISION, "roles:read", "groups:read")),
            new ManagedRole(VISITOR, "Visitor", "Internal role, not for direct customer use.",
                    true, Set.of("knowledge-base:read")),
            new ManagedRole(CHAT_WIDGET, "Chat Widget", "Internal role, not for direct customer use.",
                    true, Set.of("inbox:reply")));

    private ManagedRoles() {
    }

    public static List<ManagedRole> all() {
        return ROLES;
    }

    public static Optional<ManagedRole> find(String value) {
        return ROLES.stream().filter(role -> role.value().equals(value)).findFirst();
    }

    private static Set<String> permissions(Predicate<Permission> filter) {
        return PermissionCatalogue.all().stream().filter(filter).map(Permission::key).collect(Collectors.toSet());
    }
}
