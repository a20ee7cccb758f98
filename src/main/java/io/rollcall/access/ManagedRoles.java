package io.rollcall.access;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The managed roles seeded in every organization: the first product page's (Organization Owner, Workspace Owner, Inbox
 * Agent, SCIM Client, and the internal Visitor and Chat Widget) and the second page's predefined roles, each granting
 * what its description says. Only their membership may change.
 */
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
            // The predefined roles of the second product page ("Manage roles"), by category.
            // General
            new ManagedRole("account-admin", "Account admin",
                    "Account access, security, two-factor authentication, password policies, API keys.", false,
                    Set.of("organization:read", "users:read", "users:manage", "groups:read", "groups:manage", "roles:read",
                            "roles:assign", "security:read", "security:manage", PermissionCatalogue.ACCESS_KEYS_READ,
                            PermissionCatalogue.ACCESS_KEYS_MANAGE, PermissionCatalogue.EVENTS_MANAGE)),
            new ManagedRole("analyze-manager", "Analyze manager",
                    "Tracks message and channel metrics, creates reports, and finds delivery issues in logs. Can see "
                            + "accounts and users (reports filter by them) but not edit them.", false,
                    Set.of("reports:read", "reports:manage", "messaging:logs", "channels:read", "workspaces:read",
                            "users:read")),
            new ManagedRole("campaign-manager", "Campaign manager",
                    "Sends messages with Broadcast or launches customer journeys in Flow.", false,
                    Set.of("campaigns:read", "campaigns:create", "campaigns:approve", "campaigns:launch", "journeys:read",
                            "journeys:manage", "journeys:publish", "templates:read", "audiences:read", "contacts:read",
                            "messaging:send")),
            new ManagedRole("finance-manager", "Finance manager",
                    "Adds money to the account balance and oversees messaging cost with access to financial analytics.",
                    false, Set.of("billing:read", "billing:manage", "reports:read")),
            new ManagedRole("customer-profile-manager", "Customer profile manager",
                    "Manages profiles on People, the customer data platform.", false,
                    Set.of("contacts:read", "contacts:update", "contacts:delete", "contacts:import", "audiences:read",
                            "audiences:manage")),
            new ManagedRole("channel-setup-and-integrations", "Channel setup and integrations",
                    "Sets up communication channels and third-party integrations: number purchase, email domains, "
                            + "connected databases and what else sending or receiving needs.", false,
                    Set.of("channels:read", "channels:manage", "numbers:read", "numbers:purchase", "integrations:read",
                            "integrations:manage")),
            // Conversations
            new ManagedRole("conversations-setup", "Conversations setup",
                    "Establishes queues, routes, automations, and other settings needed for Conversations to work.", false,
                    Set.of("inbox-settings:read", "inbox-settings:manage", "channels:read", "templates:read")),
            new ManagedRole("agent-for-conversations", "Agent for Conversations",
                    "Replies to conversations assigned to them.", false,
                    Set.of("inbox:read", "inbox:reply", "inbox:close", "contacts:read", "templates:read")),
            new ManagedRole("analytics-for-conversations", "Analytics for Conversations",
                    "Tracks conversation efficiency on dashboards, schedules reports, and exchanges data with other "
                            + "systems.", false,
                    Set.of("reports:read", "reports:manage", "inbox:read-all", "integrations:read")),
            new ManagedRole("supervisor-for-conversations", "Supervisor for Conversations",
                    "Manages all conversations, regardless of assignment.", false,
                    Set.of("inbox:read", "inbox:read-all", "inbox:reply", "inbox:assign", "inbox:close", "contacts:read",
                            "templates:read")),
            // Answers
            new ManagedRole("chatbot-designer", "Chatbot designer",
                    "Creates and edits chatbots in Answers; views all chatbots, their status, and analytics.", false,
                    Set.of("bots:read", "bots:manage")),
            new ManagedRole("chatbot-publisher", "Chatbot publisher",
                    "Activates chatbots in Answers so they become available to their audience.", false,
                    Set.of("bots:read", "bots:publish")),
            new ManagedRole("chatbots-view-only", "Chatbots (view only)",
                    "Monitors chatbots and analytics in Answers with view-only access.", false, Set.of("bots:read")),
            // Knowledge base
            new ManagedRole("knowledge-base-manager", "Knowledge base manager",
                    "Creates, edits, and publishes the knowledge base.", false,
                    Set.of("knowledge-base:read", "knowledge-base:manage")),
            new ManagedRole("knowledge-base-user", "Knowledge base user",
                    "Has access to published content in the knowledge base.", false, Set.of("knowledge-base:read")),
            // Content
            new ManagedRole("campaign-approval-manager", "Campaign approval manager",
                    "Checks prepared campaigns and launches them in Broadcast.", false,
                    Set.of("campaigns:read", "campaigns:approve", "campaigns:launch", "templates:read", "audiences:read")),
            new ManagedRole("campaign-content-creator", "Campaign content creator",
                    "Creates content and prepares audiences for Broadcast campaigns but cannot send messages.", false,
                    Set.of("campaigns:read", "campaigns:create", "templates:read", "templates:manage", "audiences:read",
                            "audiences:manage", "contacts:read")),
            new ManagedRole("content-manager", "Content manager",
                    "Manages creation and editing of message content, including deleting it.", false,
                    Set.of("templates:read", "templates:manage")),
            // Internal
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

    /** Fails fast when a role names a permission the catalogue does not have (a typo would grant nothing). */
    static {
        for (ManagedRole role : ROLES) {
            for (String permission : role.permissions()) {
                if (PermissionCatalogue.find(permission).isEmpty()) {
                    throw new IllegalStateException(role.value() + " names unknown permission " + permission);
                }
            }
        }
    }

    private static Set<String> permissions(Predicate<Permission> filter) {
        return PermissionCatalogue.all().stream().filter(filter).map(Permission::key).collect(Collectors.toSet());
    }
}
