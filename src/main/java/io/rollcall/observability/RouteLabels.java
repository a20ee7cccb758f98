package io.rollcall.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a request is, in labels of bounded cardinality: the API, the operation, the resource type and the route
 * template, derived from the method and the path alone (never an id, a name or a query), so that a request the token
 * gate refuses before routing is labelled as exactly as one that was served.
 *
 * @param api          {@code scim}, {@code admin} or {@code oauth}
 * @param operation    SCIM: {@code list}, {@code get}, {@code create}, {@code replace}, {@code patch}, {@code delete},
 *                     {@code search}; the admin API uses the same verbs and {@code check}; {@code other} for any other
 *                     method
 * @param resourceType SCIM: {@code User}, {@code Group}, {@code Role}, {@code ServiceProviderConfig},
 *                     {@code ResourceType}, {@code Schema}, {@code Bulk}, {@code Me}, {@code all} (the root
 *                     {@code /.search}); admin: the collection ({@code access-keys}, {@code access-keys/secrets}, …);
 *                     {@code unknown} for a path that names nothing
 * @param route        the route template: {@code /scim/v2/Users/{id}}, {@code /admin/v1/access-keys/{id}/secrets}
 */
public record RouteLabels(String api, String operation, String resourceType, String route) {

    private static final String SCIM = "/scim/v2";
    private static final String ADMIN = "/admin/v1";
    private static final String UNKNOWN = "unknown";
    private static final Set<String> ADMIN_COLLECTIONS = Set.of("access-keys", "authz", "event-subscriptions",
            "groups", "me", "organizations", "permissions", "policies", "roles", "settings", "users", "workspaces");
    /** Fixed words after an id in admin paths ({@code /roles/{id}/duplicate}, {@code /users/{id}/roles/{id}}). */
    private static final Set<String> ADMIN_WORDS = Set.of("check", "dead-letters", "duplicate", "redrive", "roles",
            "secrets");
    private static final Set<String> ADMIN_SINGLETONS = Set.of("me", "settings");

    /** The labels of a request to Rollcall's APIs; null for any other path (health, metrics, console, JWKS). */
    public static RouteLabels of(String method, String path) {
        String p = path == null ? "" : path.startsWith("/") ? path : "/" + path;
        if (p.equals(SCIM) || p.startsWith(SCIM + "/")) {
            return scim(method, segments(p.substring(SCIM.length())));
        }
        if (p.equals(ADMIN) || p.startsWith(ADMIN + "/")) {
            return admin(method, segments(p.substring(ADMIN.length())));
        }
        if (p.equals("/oauth/token")) {
            return new RouteLabels("oauth", "POST".equals(method) ? "create" : "other", "token", "/oauth/token");
        }
        return null;
    }

    private static RouteLabels scim(String method, List<String> s) {
        if (s.isEmpty()) {
            return new RouteLabels("scim", verb(method, false), UNKNOWN, SCIM);
        }
        String first = s.get(0);
        String type = switch (first) {
            case "Users" -> "User";
            case "Groups" -> "Group";
            case "Roles" -> "Role";
            case "ServiceProviderConfig" -> "ServiceProviderConfig";
            case "ResourceTypes" -> "ResourceType";
            case "Schemas" -> "Schema";
            case "Bulk" -> "Bulk";
            case "Me" -> "Me";
            case ".search" -> "all";
            default -> null;
        };
        if (type == null || s.size() > 2 || (s.size() == 2 && (type.equals("ServiceProviderConfig")
                || type.equals("Bulk") || type.equals("all")))) {
            return new RouteLabels("scim", verb(method, false), UNKNOWN, SCIM + "/{unknown}");
        }
        if (first.equals(".search") || (s.size() == 2 && s.get(1).equals(".search"))) {
            return new RouteLabels("scim", "POST".equals(method) ? "search" : "other", type,
                    SCIM + (s.size() == 2 ? "/" + first : "") + "/.search");
        }
        if (s.size() == 1) {
            String operation = switch (type) {
                case "ServiceProviderConfig", "Me" -> verb(method, true);
                case "Bulk" -> "POST".equals(method) ? "bulk" : "other";
                default -> verb(method, false);
            };
            return new RouteLabels("scim", operation, type, SCIM + "/" + first);
        }
        String parameter = switch (type) {
            case "ResourceType" -> "{name}";
            case "Schema" -> "{urn}";
            default -> "{id}";
        };
        return new RouteLabels("scim", verb(method, true), type, SCIM + "/" + first + "/" + parameter);
    }

    private static RouteLabels admin(String method, List<String> s) {
        if (s.isEmpty() || !ADMIN_COLLECTIONS.contains(s.get(0)) || s.size() > 4) {
            return new RouteLabels("admin", verb(method, false), UNKNOWN, ADMIN + "/{unknown}");
        }
        StringBuilder route = new StringBuilder(ADMIN);
        StringBuilder resource = new StringBuilder();
        boolean item = false;
        for (int i = 0; i < s.size(); i++) {
            String segment = s.get(i);
            if (i == 0 || ADMIN_WORDS.contains(segment)) {
                route.append('/').append(segment);
                resource.append(resource.length() == 0 ? "" : "/").append(segment);
                item = ADMIN_SINGLETONS.contains(segment);
            } else {
                route.append("/{id}");
                item = true;
            }
        }
        String last = s.get(s.size() - 1);
        String operation = last.equals("check") ? "POST".equals(method) ? "check" : "other"
                : last.equals("duplicate") ? "POST".equals(method) ? "create" : "other"
                : last.equals("redrive") ? "POST".equals(method) ? "redrive" : "other"
                : verb(method, item);
        return new RouteLabels("admin", operation, resource.toString(), route.toString());
    }

    /** The operation of a method on a collection ({@code item} false) or on one resource. */
    private static String verb(String method, boolean item) {
        return switch (method == null ? "" : method) {
            case "GET", "HEAD" -> item ? "get" : "list";
            case "POST" -> item ? "other" : "create";
            case "PUT" -> item ? "replace" : "other";
            case "PATCH" -> item ? "patch" : "other";
            case "DELETE" -> item ? "delete" : "other";
            default -> "other";
        };
    }

    private static List<String> segments(String rest) {
        List<String> segments = new ArrayList<>();
        for (String segment : rest.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }
}
