package io.rollcall.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The expected managed role × permission matrix, read from {@code fixtures/access/managed-role-matrix.csv}: one row
 * per catalogue permission (its key, its level {@code org|workspace}), one column per managed role (its value), a cell
 * {@code Y} where the role grants the permission and blank where it does not.
 *
 * <p>The file is written by hand from the seeds' role descriptions ({@code shared/seeds/}) and the access model's
 * managed role table, never from the production code, so that a change to a role's grants has to be made twice, on
 * purpose.
 */
public final class RoleMatrix {

    public static final String RESOURCE = "/fixtures/access/managed-role-matrix.csv";

    private final List<String> roles;
    private final Map<String, String> levels;
    private final Map<String, Set<String>> grantsByRole;

    private RoleMatrix(List<String> roles, Map<String, String> levels, Map<String, Set<String>> grantsByRole) {
        this.roles = roles;
        this.levels = levels;
        this.grantsByRole = grantsByRole;
    }

    public static RoleMatrix load() {
        try (InputStream in = RoleMatrix.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("No fixture " + RESOURCE);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String[] header = reader.readLine().split(",", -1);
            if (!header[0].equals("permission") || !header[1].equals("level")) {
                throw new IllegalStateException(RESOURCE + ": the header starts with 'permission,level'");
            }
            List<String> roles = new ArrayList<>();
            Map<String, Set<String>> grants = new LinkedHashMap<>();
            for (int i = 2; i < header.length; i++) {
                String role = header[i].trim();
                if (grants.put(role, new LinkedHashSet<>()) != null) {
                    throw new IllegalStateException(RESOURCE + ": role column " + role + " appears twice");
                }
                roles.add(role);
            }
            Map<String, String> levels = new LinkedHashMap<>();
            String line;
            int lineNumber = 1;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != header.length) {
                    throw new IllegalStateException(RESOURCE + " line " + lineNumber + ": " + cells.length
                            + " cells, the header has " + header.length);
                }
                String permission = cells[0].trim();
                if (levels.put(permission, cells[1].trim()) != null) {
                    throw new IllegalStateException(RESOURCE + ": permission row " + permission + " appears twice");
                }
                for (int i = 2; i < cells.length; i++) {
                    String cell = cells[i].trim();
                    if (cell.equals("Y")) {
                        grants.get(header[i].trim()).add(permission);
                    } else if (!cell.isEmpty()) {
                        throw new IllegalStateException(RESOURCE + " line " + lineNumber + ": cell '" + cell
                                + "' under " + header[i] + " is neither Y nor blank");
                    }
                }
            }
            return new RoleMatrix(List.copyOf(roles), levels, grants);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The role columns, in file order. */
    public List<String> roles() {
        return roles;
    }

    /** The permission rows, in file order. */
    public Set<String> permissions() {
        return levels.keySet();
    }

    /** {@code org} or {@code workspace}, as the row says. */
    public String level(String permission) {
        return levels.get(permission);
    }

    public boolean grants(String role, String permission) {
        return grantsByRole.get(role).contains(permission);
    }

    /** The permissions the role's column marks {@code Y}. */
    public Set<String> grantsOf(String role) {
        Set<String> grants = grantsByRole.get(role);
        if (grants == null) {
            throw new IllegalArgumentException("No column for role " + role + " in " + RESOURCE);
        }
        return grants;
    }
}
