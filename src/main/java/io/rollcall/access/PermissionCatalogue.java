package io.rollcall.access;

import static io.rollcall.access.Permission.Level.ORG;
import static io.rollcall.access.Permission.Level.WORKSPACE;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The closed, versioned catalogue of permissions a messaging platform grants. Owned by the platform: customers compose
 * roles from it but never add to it. Bump {@link #VERSION} whenever a key is added, removed or changes level.
 */
public final class PermissionCatalogue {

    public static final int VERSION = 2;

    /** The permission that opens {@code /scim/v2}; only the SCIM Client role grants it. */
    public static final String SCIM_PROVISION = "scim:provision";
    public static final String ACCESS_KEYS_READ = "access-keys:read";
    public static final String ACCESS_KEYS_MANAGE = "access-keys:manage";
    public static final String EVENTS_MANAGE = "events:manage";

    private static final List<Permission> PERMISSIONS = List.of(
            p("organization:read", "Organization", ORG, "View the organization's profile and settings"),
            p("organization:manage", "Organization", ORG, "Change the organization's profile and settings"),
            p("workspaces:read", "Workspaces", ORG, "List workspaces and view their details"),
            p("workspaces:create", "Workspaces", ORG, "Create workspaces"),
            p("workspaces:delete", "Workspaces", ORG, "Remove workspaces"),
            p("workspaces:manage", "Workspaces", WORKSPACE, "Change a workspace's settings"),
            p("users:read", "Users and groups", ORG, "List users and view their profiles"),
            p("users:manage", "Users and groups", ORG, "Invite, edit, deactivate and remove users"),
            p("groups:read", "Users and groups", ORG, "List groups and their members"),
            p("groups:manage", "Users and groups", ORG, "Create, edit and remove groups and their membership"),
            p("roles:read", "Roles", ORG, "List roles, their policies and members"),
            p("roles:manage", "Roles", ORG, "Create, edit, duplicate and delete custom roles and policies"),
            p("roles:assign", "Roles", ORG, "Assign roles to users and groups"),
            p("security:read", "Security and access keys", ORG, "View security settings (SSO, 2FA, password policy)"),
            p("security:manage", "Security and access keys", ORG, "Change security settings (SSO, 2FA, password policy)"),
            p(ACCESS_KEYS_READ, "Security and access keys", ORG, "List access keys"),
            p(ACCESS_KEYS_MANAGE, "Security and access keys", ORG, "Create and revoke access keys"),
            p("billing:read", "Billing", ORG, "View balance, invoices and cost analytics"),
            p("billing:manage", "Billing", ORG, "Add funds and change payment methods"),
            p(SCIM_PROVISION, "Provisioning", ORG, "Provision users, groups and role membership over SCIM"),
            p("channels:read", "Channels and numbers", WORKSPACE, "View channels and their configuration"),
            p("channels:manage", "Channels and numbers", WORKSPACE, "Connect, configure and remove channels"),
            p("numbers:read", "Channels and numbers", WORKSPACE, "View phone numbers and sender ids"),
            p("numbers:purchase", "Channels and numbers", WORKSPACE, "Buy and release phone numbers"),
            p("contacts:read", "Contacts and audiences", WORKSPACE, "View contacts and their profiles"),
            p("contacts:update", "Contacts and audiences", WORKSPACE, "Create and edit contacts"),
            p("contacts:delete", "Contacts and audiences", WORKSPACE, "Delete contacts"),
            p("contacts:import", "Contacts and audiences", WORKSPACE, "Import and export contacts"),
            p("audiences:read", "Contacts and audiences", WORKSPACE, "View audiences and segments"),
            p("audiences:manage", "Contacts and audiences", WORKSPACE, "Create, edit and delete audiences and segments"),
            p("templates:read", "Templates", WORKSPACE, "View message templates"),
            p("templates:manage", "Templates", WORKSPACE, "Create, edit and delete message templates"),
            p("campaigns:read", "Campaigns", WORKSPACE, "View campaigns and their results"),
            p("campaigns:create", "Campaigns", WORKSPACE, "Create and edit campaigns and their audiences"),
            p("campaigns:approve", "Campaigns", WORKSPACE, "Approve prepared campaigns"),
            p("campaigns:launch", "Campaigns", WORKSPACE, "Send or schedule campaigns"),
            p("journeys:read", "Journeys", WORKSPACE, "View customer journeys"),
            p("journeys:manage", "Journeys", WORKSPACE, "Create and edit customer journeys"),
            p("journeys:publish", "Journeys", WORKSPACE, "Launch and stop customer journeys"),
            p("messaging:send", "Messaging API", WORKSPACE, "Send messages through the API"),
            p("messaging:logs", "Messaging API", WORKSPACE, "View message logs and delivery reports"),
            p("inbox:read", "Inbox conversations", WORKSPACE, "View conversations assigned to the agent"),
            p("inbox:read-all", "Inbox conversations", WORKSPACE, "View all conversations regardless of assignment"),
            p("inbox:reply", "Inbox conversations", WORKSPACE, "Reply to conversations"),
            p("inbox:assign", "Inbox conversations", WORKSPACE, "Assign and transfer conversations"),
            p("inbox:close", "Inbox conversations", WORKSPACE, "Close and reopen conversations"),
            p("inbox-settings:read", "Inbox settings", WORKSPACE, "View queues, routing and automations"),
            p("inbox-settings:manage", "Inbox settings", WORKSPACE, "Change queues, routing and automations"),
            p("bots:read", "Bots", WORKSPACE, "View chatbots, their status and analytics"),
            p("bots:manage", "Bots", WORKSPACE, "Create and edit chatbots"),
            p("bots:publish", "Bots", WORKSPACE, "Activate and deactivate chatbots"),
            p("knowledge-base:read", "Knowledge base", WORKSPACE, "Read published knowledge-base content"),
            p("knowledge-base:manage", "Knowledge base", WORKSPACE, "Create, edit and publish knowledge-base content"),
            p("reports:read", "Reports", WORKSPACE, "View dashboards and reports"),
            p("reports:manage", "Reports", WORKSPACE, "Create, schedule and export reports"),
            p("integrations:read", "Integrations", WORKSPACE, "View third-party integrations"),
            p("integrations:manage", "Integrations", WORKSPACE, "Connect and configure third-party integrations"),
            p(EVENTS_MANAGE, "Integrations", ORG, "Subscribe webhooks to change events of users and groups, and "
                    + "re-drive their dead letters"));

    private static final Map<String, Permission> BY_KEY = index();

    /** What each section covers, in a sentence (the console shows it under the section's heading). */
    private static final Map<String, String> SECTION_DESCRIPTIONS = Map.ofEntries(
            Map.entry("Organization", "The organization's profile and settings, such as the fallback role."),
            Map.entry("Workspaces", "Creating, changing and removing the workspaces content lives in."),
            Map.entry("Users and groups", "The people and groups your identity provider pushes, and their profiles."),
            Map.entry("Roles", "Roles, their policies and members, and who may hand them out."),
            Map.entry("Security and access keys", "Sign-in security (SSO, 2FA, passwords) and machine access keys."),
            Map.entry("Billing", "Balance, invoices, payment methods and cost analytics."),
            Map.entry("Provisioning", "The SCIM endpoint identity providers use; only the SCIM Client role has it."),
            Map.entry("Channels and numbers", "Messaging channels, phone numbers and sender ids."),
            Map.entry("Contacts and audiences", "Customer profiles, imports and the segments campaigns target."),
            Map.entry("Templates", "Reusable message templates."),
            Map.entry("Campaigns", "Broadcast campaigns: preparing, approving and sending them."),
            Map.entry("Journeys", "Automated customer journeys (flows)."),
            Map.entry("Messaging API", "Sending messages through the API and reading their logs."),
            Map.entry("Inbox conversations", "Agents' conversations with customers in the inbox."),
            Map.entry("Inbox settings", "Queues, routing and automations that make the inbox work."),
            Map.entry("Bots", "Chatbots: designing, publishing and monitoring them."),
            Map.entry("Knowledge base", "Knowledge-base content: writing, publishing and reading it."),
            Map.entry("Reports", "Dashboards and reports on messaging and conversations."),
            Map.entry("Integrations", "Third-party integrations, connected systems and the webhooks that receive change events."));

    private PermissionCatalogue() {
    }

    public static List<Permission> all() {
        return PERMISSIONS;
    }

    /** The section's one-sentence description, or an empty string for a section without one. */
    public static String sectionDescription(String section) {
        return SECTION_DESCRIPTIONS.getOrDefault(section, "");
    }

    public static Optional<Permission> find(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    private static Permission p(String key, String section, Permission.Level level, String description) {
        return new Permission(key, section, level, description);
    }

    private static Map<String, Permission> index() {
        Map<String, Permission> byKey = new LinkedHashMap<>();
        for (Permission permission : PERMISSIONS) {
            if (byKey.put(permission.key(), permission) != null) {
                throw new IllegalStateException("Duplicate permission " + permission.key());
            }
        }
        return byKey;
    }
}
