package io.rollcall.access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The platform's managed policies, derived from the {@link PermissionCatalogue}: one small policy per resource and verb
 * ({@code CampaignsLaunch}) and one per resource for all its verbs ({@code CampaignsFullAccess}). They are immutable and
 * shared by every organization.
 */
public final class ManagedPolicies {

    public record ManagedPolicy(String name, String description, List<Statement> statements) {
    }

    private static final Map<String, ManagedPolicy> BY_NAME = build();

    private ManagedPolicies() {
    }

    public static List<ManagedPolicy> all() {
        return List.copyOf(BY_NAME.values());
    }

    public static Optional<ManagedPolicy> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /**
     * The smallest set of managed policies that grants exactly {@code permissions}: a resource's full-access policy when
     * every verb of that resource is wanted, the per-verb policies otherwise.
     */
    public static List<String> covering(Set<String> permissions) {
        List<String> names = new ArrayList<>();
        for (String resource : resources()) {
            List<Permission> verbs = PermissionCatalogue.all().stream().filter(p -> p.resource().equals(resource)).toList();
            List<Permission> wanted = verbs.stream().filter(p -> permissions.contains(p.key())).toList();
            if (wanted.isEmpty()) {
                continue;
            }
            if (wanted.size() == verbs.size()) {
                names.add(fullAccessName(resource));
            } else {
                wanted.forEach(p -> names.add(verbName(p)));
            }
        }
        return names;
    }

    static String fullAccessName(String resource) {
        return pascal(resource) + "FullAccess";
    }

    static String verbName(Permission permission) {
        return pascal(permission.resource()) + pascal(permission.action());
    }

    private static Set<String> resources() {
        Set<String> resources = new LinkedHashSet<>();
        PermissionCatalogue.all().forEach(p -> resources.add(p.resource()));
        return resources;
    }

    private static Map<String, ManagedPolicy> build() {
        Map<String, ManagedPolicy> policies = new LinkedHashMap<>();
        for (String resource : resources()) {
            String name = fullAccessName(resource);
            policies.put(name, new ManagedPolicy(name, "Every " + resource + " permission",
                    List.of(Statement.allow(List.of(resource + ":*")))));
        }
        for (Permission permission : PermissionCatalogue.all()) {
            String name = verbName(permission);
            policies.put(name, new ManagedPolicy(name, permission.description(),
                    List.of(Statement.allow(List.of(permission.key())))));
        }
        return policies;
    }

    private static String pascal(String words) {
        StringBuilder out = new StringBuilder();
        for (String word : words.split("-")) {
            out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return out.toString();
    }
}
