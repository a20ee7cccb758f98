package io.rollcall.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.rollcall.access.Permission;
import io.rollcall.access.PermissionCatalogue;
import io.rollcall.access.Principal;

/** The platform's permission catalogue as customers see it: grouped by section, in catalogue order. */
@ApplicationScoped
public class PermissionService {

    /** One heading of the catalogue and its permissions. */
    public record Section(String name, String description, List<Permission> permissions) {
    }

    public record Catalogue(int version, List<Section> sections) {
    }

    public Catalogue catalogue(Principal caller) {
        CallerChecks.require(caller, "roles:read", "read the permission catalogue");
        Map<String, List<Permission>> bySection = new LinkedHashMap<>();
        for (Permission permission : PermissionCatalogue.all()) {
            bySection.computeIfAbsent(permission.section(), ignored -> new java.util.ArrayList<>()).add(permission);
        }
        return new Catalogue(PermissionCatalogue.VERSION, bySection.entrySet().stream()
                .map(entry -> new Section(entry.getKey(), PermissionCatalogue.sectionDescription(entry.getKey()),
                        List.copyOf(entry.getValue()))).toList());
    }
}
