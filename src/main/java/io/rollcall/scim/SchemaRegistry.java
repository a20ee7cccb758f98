package io.rollcall.scim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.types.ResourceTypeResource;
import com.unboundid.scim2.common.types.SchemaResource;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The schema and resource type documents of {@code scim-schemas/} (RFC 7643 §7 and §6), loaded once at start from the
 * classpath. It is the single source for discovery ({@code /Schemas}, {@code /ResourceTypes}) and for validation, so
 * what the server advertises is what it enforces. A file dropped into {@code scim-schemas/schemas} or
 * {@code scim-schemas/resource-types} is picked up with no code change.
 *
 * <p>Start fails, naming the file, when a document is not valid JSON, lacks an {@code id}, or when a resource type
 * refers to a schema the registry does not hold.
 */
@ApplicationScoped
@Startup
@RegisterForReflection(targets = { SchemaResource.class, ResourceTypeResource.class })
public class SchemaRegistry {

    static final String ROOT = "scim-schemas";
    private static final Logger LOG = Logger.getLogger(SchemaRegistry.class);

    private final Map<String, ObjectNode> schemas = new LinkedHashMap<>();
    private final Map<String, ObjectNode> resourceTypes = new LinkedHashMap<>();

    @PostConstruct
    void load() {
        for (Map.Entry<String, ObjectNode> document : readAll(ROOT + "/schemas").entrySet()) {
            schemas.put(requireText(document, "id"), document.getValue());
        }
        for (Map.Entry<String, ObjectNode> document : readAll(ROOT + "/resource-types").entrySet()) {
            ObjectNode resourceType = document.getValue();
            requireKnownSchema(document, resourceType.path("schema").asText(null));
            for (JsonNode extension : resourceType.path("schemaExtensions")) {
                requireKnownSchema(document, extension.path("schema").asText(null));
            }
            resourceTypes.put(requireText(document, "name"), resourceType);
        }
        LOG.infof("SCIM schema registry: schemas %s, resource types %s", schemas.keySet(), resourceTypes.keySet());
    }

    /** Schema documents in a stable order (by file name), without {@code meta}. */
    public Collection<ObjectNode> schemas() {
        return schemas.values();
    }

    /** The schema with this URN, matched case-insensitively as RFC 7643 §2.1 treats attribute names. */
    public Optional<ObjectNode> schema(String urn) {
        return schemas.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(urn)).map(Map.Entry::getValue).findFirst();
    }

    public Collection<ObjectNode> resourceTypes() {
        return resourceTypes.values();
    }

    public Optional<ObjectNode> resourceType(String name) {
        return resourceTypes.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst();
    }

    /** The schema as the SDK models it, for validation. */
    public Optional<SchemaResource> schemaResource(String urn) {
        return schema(urn).map(node -> ScimJson.MAPPER.convertValue(node, SchemaResource.class));
    }

    /** The resource type's schemas, ready for resolving and validating attributes. */
    public Optional<ResourceSchema> resourceSchema(String resourceTypeName) {
        return resourceType(resourceTypeName).map(type -> {
            List<SchemaResource> extensions = new ArrayList<>();
            for (JsonNode extension : type.path("schemaExtensions")) {
                schemaResource(extension.path("schema").asText()).ifPresent(extensions::add);
            }
            return new ResourceSchema(type.path("name").asText(),
                    schemaResource(type.path("schema").asText()).orElseThrow(), extensions);
        });
    }

    private void requireKnownSchema(Map.Entry<String, ObjectNode> document, String urn) {
        if (urn == null || !schemas.containsKey(urn)) {
            throw new IllegalStateException(document.getKey() + " refers to schema '" + urn + "', which is not in "
                    + ROOT + "/schemas");
        }
    }

    private static String requireText(Map.Entry<String, ObjectNode> document, String field) {
        String value = document.getValue().path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalStateException(document.getKey() + " has no '" + field + "'");
        }
        return value;
    }

    /** Every {@code *.json} directly under the classpath folder, by file name, whether on disk or inside a jar. */
    private static Map<String, ObjectNode> readAll(String folder) {
        Map<String, ObjectNode> documents = new LinkedHashMap<>();
        for (String resource : listJson(folder)) {
            try (InputStream in = classLoader().getResourceAsStream(resource)) {
                JsonNode node = ScimJson.MAPPER.readTree(in);
                if (!(node instanceof ObjectNode object)) {
                    throw new IllegalStateException(resource + " is not a JSON object");
                }
                object.remove("meta");
                documents.put(resource, object);
            } catch (IOException e) {
                throw new UncheckedIOException(resource + " is not valid JSON", e);
            }
        }
        return documents;
    }

    private static TreeSet<String> listJson(String folder) {
        TreeSet<String> names = new TreeSet<>(Comparator.naturalOrder());
        try {
            Enumeration<URL> roots = classLoader().getResources(folder);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("jar".equals(root.getProtocol())) {
                    JarURLConnection connection = (JarURLConnection) root.openConnection();
                    connection.setUseCaches(false);
                    try (JarFile jar = connection.getJarFile()) {
                        for (JarEntry entry : (Iterable<JarEntry>) jar.stream()::iterator) {
                            String name = entry.getName();
                            if (name.startsWith(folder + "/") && name.endsWith(".json")
                                    && name.indexOf('/', folder.length() + 1) < 0) {
                                names.add(name);
                            }
                        }
                    }
                } else {
                    try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
                        files.filter(f -> f.getFileName().toString().endsWith(".json"))
                                .forEach(f -> names.add(folder + "/" + f.getFileName()));
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("Cannot list " + folder + " on the classpath", e);
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("No SCIM documents found under " + folder + " on the classpath");
        }
        return names;
    }

    private static ClassLoader classLoader() {
        return Thread.currentThread().getContextClassLoader();
    }

}
