package io.rollcall.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The search contract (docs: README "Architecture"): only {@code store} writes SQL, numbers parameters and knows
 * tables; the protocol layers hand it a typed {@code resource.ResourceQuery} through a service and get rows back.
 * Read from the sources, so that a shortcut through the layers fails the build rather than a review.
 */
class LayeringTest {

    private static final Path MAIN = Path.of("src/main/java/io/rollcall");

    /** What a service returns and the protocol layers render: rows and records, nothing that reads or writes. */
    private static final Set<String> STORE_TYPES_ABOVE_SERVICES = Set.of(
            "StoredResource", "BindingRow", "UserView", "UserRelations", "GroupMember", "RoleHolder",
            "RoleBindingEntity.PrincipalKind", "PolicyRow", "WorkspaceEntity", "OrganizationEntity",
            "OrganizationRepository.Counts", "CrossTypeReads.Hit", "AccessKeySecretRepository.SecretRow", "AuditRecord");

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.rollcall\\.([a-z]+)\\.([\\w.]+);",
            Pattern.MULTILINE);

    @Test
    void protocolLayersImportOnlyRowTypesFromTheStore() {
        Set<String> found = new TreeSet<>();
        for (String layer : List.of("scim", "admin", "console")) {
            for (Path source : sources(MAIN.resolve(layer))) {
                Matcher imports = IMPORT.matcher(read(source));
                while (imports.find()) {
                    if (imports.group(1).equals("store") && !STORE_TYPES_ABOVE_SERVICES.contains(imports.group(2))) {
                        found.add(MAIN.relativize(source) + " imports store." + imports.group(2));
                    }
                }
            }
        }
        assertEquals(Set.of(), found, "scim, admin and console reach the store only through services");
    }

    @Test
    void theStoreImportsNoLayerAboveIt() {
        Set<String> found = new TreeSet<>();
        for (Path source : sources(MAIN.resolve("store"))) {
            Matcher imports = IMPORT.matcher(read(source));
            while (imports.find()) {
                if (Set.of("service", "scim", "admin", "console", "auth", "http").contains(imports.group(1))) {
                    found.add(MAIN.relativize(source) + " imports " + imports.group(1) + "." + imports.group(2));
                }
            }
        }
        assertEquals(Set.of(), found);
    }

    @Test
    void onlyTheStoreWritesSqlOrNumbersParameters() {
        Pattern sql = Pattern.compile("\"[^\"]*(\\$\\d|\\bSELECT\\b|\\bWHERE\\b|\\bORDER BY\\b|\\bLIKE\\b)[^\"]*\"");
        Set<String> found = new TreeSet<>();
        for (String layer : List.of("scim", "admin", "console", "service", "auth", "http", "access")) {
            for (Path source : sources(MAIN.resolve(layer))) {
                Matcher text = sql.matcher(read(source));
                while (text.find()) {
                    found.add(MAIN.relativize(source) + ": " + text.group());
                }
            }
        }
        assertEquals(Set.of(), found);
    }

    @Test
    void onlyServicesOpenTransactions() {
        Pattern opens = Pattern.compile("\\b(withTransaction|withSession|atomically)\\(");
        Set<String> found = new TreeSet<>();
        for (String layer : List.of("scim", "admin", "console", "auth", "http", "store", "token")) {
            for (Path source : sources(MAIN.resolve(layer))) {
                Matcher call = opens.matcher(withoutComments(read(source)));
                while (call.find()) {
                    found.add(MAIN.relativize(source) + " calls " + call.group(1));
                }
            }
        }
        assertEquals(Set.of(), found);
    }

    /** Breaking a cycle (issue 12: auth ↔ service through token issuing, http ↔ scim through JSON helpers) holds. */
    @Test
    void packagesDependOnEachOtherWithoutCycles() {
        Map<String, Set<String>> uses = new TreeMap<>();
        Pattern qualified = Pattern.compile("\\bio\\.rollcall\\.([a-z]+)\\.[A-Z]");
        for (Path source : sources(MAIN)) {
            Path relative = MAIN.relativize(source);
            String from = relative.getNameCount() == 1 ? "(root)" : relative.getName(0).toString();
            Matcher names = qualified.matcher(withoutComments(read(source)));
            while (names.find()) {
                if (!names.group(1).equals(from)) {
                    uses.computeIfAbsent(from, k -> new TreeSet<>()).add(names.group(1));
                }
            }
        }
        Set<String> cycles = new TreeSet<>();
        for (String start : uses.keySet()) {
            findCycles(start, start, uses, new ArrayList<>(List.of(start)), cycles);
        }
        assertEquals(Set.of(), cycles, "package dependencies: " + uses);
    }

    private static void findCycles(String start, String at, Map<String, Set<String>> uses, List<String> path,
            Set<String> cycles) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                cycles.add(String.join(" → ", path) + " → " + start);
            } else if (!path.contains(next) && next.compareTo(start) > 0) {
                path.add(next);
                findCycles(start, next, uses, path, cycles);
                path.remove(path.size() - 1);
            }
        }
    }

    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }

    private static List<Path> sources(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path source) {
        try {
            return Files.readString(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
