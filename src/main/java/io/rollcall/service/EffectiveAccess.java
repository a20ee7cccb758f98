package io.rollcall.service;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rollcall.store.BindingRow;

/**
 * What a user holds, all sources together: every binding reaching it (its own and its groups', nested groups too) and
 * the permissions they give it on the organization ({@code *}) and on each workspace (by name).
 */
public record EffectiveAccess(List<BindingRow> bindings, Map<String, Set<String>> permissionsByWorkspace) {

    public static final String ORGANIZATION = "*";
}
