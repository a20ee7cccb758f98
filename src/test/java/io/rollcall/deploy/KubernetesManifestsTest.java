package io.rollcall.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Validates every manifest of {@code deploy/kubernetes/} offline, as an API server with strict field validation would:
 * Kubernetes' own kinds are read into fabric8's typed model (wrong types fail, and an unknown field, which fabric8 keeps
 * aside, is reported with its path); CloudNativePG's {@code Cluster} and Prometheus Operator's {@code ServiceMonitor}
 * are checked against the OpenAPI schemas of their CRDs (vendored under {@code kubernetes-crds/}), with unknown fields
 * refused as {@code kubectl apply --validate=strict} does. Then the manifests are checked against each other and
 * against the server: selectors match the pods, the Deployment reads only keys that CloudNativePG's app Secret and
 * the documented Secrets have, probes point at the health endpoints, and the pods run non-root on a read-only root.
 * Required fields and types of Kubernetes' own kinds are also checked by deploy/ci/kubernetes-validate.mjs.
 */
class KubernetesManifestsTest {

    private static final Path DIRECTORY = Path.of("deploy/kubernetes");
    private static final Set<String> CNPG_APP_SECRET_KEYS = Set.of("username", "password", "host", "port", "dbname",
            "uri", "jdbc-uri", "pgpass", "fqdn-uri", "fqdn-jdbc-uri");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private static final Map<String, Class<? extends HasMetadata>> KUBERNETES_KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
    private static final Map<String, String> CUSTOM_KINDS = Map.of(
            "postgresql.cnpg.io/v1/Cluster", "kubernetes-crds/postgresql.cnpg.io_clusters.yaml",
            "monitoring.coreos.com/v1/ServiceMonitor", "kubernetes-crds/monitoring.coreos.com_servicemonitors.yaml");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper STRICT = strictMapper();
    private static final Map<String, Schema> CRD_SCHEMAS = new LinkedHashMap<>();

    // --- every manifest on its own ---------------------------------------------------------------------------------

    @Test
    void everyManifestIsValidForItsKind() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> document : documents().entrySet()) {
            problems.addAll(problems(document.getValue()).stream().map(p -> document.getKey() + ": " + p).toList());
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theValidatorRefusesUnknownFieldsWrongTypesAndMissingRequiredFields() {
        ObjectNode deployment = (ObjectNode) only("apps/v1", "Deployment").deepCopy();
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
        assertProblem(deployment, "/spec/template/spec/containers/0", "imagePullPolicyy");

        deployment = (ObjectNode) only("apps/v1", "Deployment").deepCopy();
        ((ObjectNode) deployment.get("spec")).put("replicas", "three");
        assertProblem(deployment, "/spec/replicas", "Integer");

        ObjectNode cluster = (ObjectNode) only("postgresql.cnpg.io/v1", "Cluster").deepCopy();
        ((ObjectNode) cluster.get("spec")).remove("instances");
        assertProblem(cluster, "", "instances");

        cluster = (ObjectNode) only("postgresql.cnpg.io/v1", "Cluster").deepCopy();
        ((ObjectNode) cluster.at("/spec/bootstrap/initdb")).put("databse", "rollcall");
        assertProblem(cluster, "/spec/bootstrap/initdb", "databse");

        cluster = (ObjectNode) only("postgresql.cnpg.io/v1", "Cluster").deepCopy();
        ((ObjectNode) cluster.get("spec")).put("instances", "3");
        assertProblem(cluster, "/spec/instances", "integer");

        ObjectNode monitor = (ObjectNode) only("monitoring.coreos.com/v1", "ServiceMonitor").deepCopy();
        ((ObjectNode) monitor.at("/spec/endpoints/0")).put("paht", "/q/metrics");
        assertProblem(monitor, "/spec/endpoints/0", "paht");
    }

    private static void assertProblem(JsonNode document, String where, String what) {
        List<String> problems = problems(document);
        assertTrue(problems.stream().anyMatch(p -> p.contains(where) && p.contains(what)),
                "expected a problem at '" + where + "' about '" + what + "', got " + problems);
    }

    /** What an API server with strict field validation would refuse in one manifest; empty when it is valid. */
    static List<String> problems(JsonNode document) {
        String apiVersion = document.path("apiVersion").asText("");
        String kind = document.path("kind").asText("");
        List<String> problems = new ArrayList<>();
        if (document.path("metadata").path("name").asText("").isBlank()) {
            problems.add("metadata.name is required");
        }
        Class<? extends HasMetadata> type = KUBERNETES_KINDS.get(apiVersion + "/" + kind);
        String crd = CUSTOM_KINDS.get(apiVersion + "/" + kind);
        if (type != null) {
            try {
                HasMetadata object = STRICT.treeToValue(document, type);
                unknownFields(object, "", problems, new IdentityHashMap<>());
            } catch (JsonMappingException e) {
                String at = e.getPath().stream()
                        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                        .collect(Collectors.joining("/", "/", ""));
                problems.add(at + ": not a valid " + kind + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
            } catch (IOException e) {
                problems.add("not a valid " + kind + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
        } else if (crd != null) {
            crdSchema(crd, apiVersion).validate(document)
                    .forEach(error -> problems.add(error.getInstanceLocation() + ": " + error.getMessage()));
        } else {
            problems.add("no schema known for " + apiVersion + " " + kind);
        }
        return problems;
    }

    /** fabric8's models keep fields they do not know in additionalProperties: each one is an unknown field. */
    private static void unknownFields(Object value, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "/" + i, problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unknownFields(item, path + "/" + key, problems, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            unknownFields(child, path + "/" + field, problems, seen);
        }
    }

    private static synchronized Schema crdSchema(String resource, String apiVersion) {
        return CRD_SCHEMAS.computeIfAbsent(resource + "@" + apiVersion, key -> {
            JsonNode crd = readYaml(resource).get(0);
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            for (JsonNode candidate : crd.at("/spec/versions")) {
                if (candidate.path("name").asText().equals(version)) {
                    JsonNode schema = candidate.at("/schema/openAPIV3Schema").deepCopy();
                    closeObjects(schema);
                    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);
                }
            }
            throw new IllegalStateException(resource + " has no version " + version);
        });
    }

    /**
     * The API server prunes fields a CRD's structural schema does not declare (and strict validation refuses them):
     * an object schema with properties and neither additionalProperties nor x-kubernetes-preserve-unknown-fields is
     * closed here, so that a misspelt field is reported instead of dropped.
     */
    private static void closeObjects(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.elements().forEachRemaining(KubernetesManifestsTest::closeObjects);
        } else if (schema instanceof ArrayNode array) {
            array.forEach(KubernetesManifestsTest::closeObjects);
        }
    }

    // --- the manifests together --------------------------------------------------------------------------------------

    @Test
    void everyManifestIsInTheKustomizationButTheSecretsTemplate() throws IOException {
        JsonNode kustomization = readYaml(DIRECTORY.resolve("kustomization.yaml")).get(0);
        List<String> listed = new ArrayList<>();
        kustomization.path("resources").forEach(resource -> listed.add(resource.asText()));
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            List<String> manifests = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml")
                            && !name.equals("secrets.yaml"))
                    .sorted().toList();
            assertEquals(manifests, listed.stream().sorted().toList());
        }
        assertFalse(listed.contains("secrets.yaml"), "applying the manifests must never overwrite real Secrets");
    }

    @Test
    void everyNamespacedObjectIsInTheNamespaceTheManifestsCreate() {
        String namespace = only("v1", "Namespace").at("/metadata/name").asText();
        documents().forEach((where, document) -> {
            if (!document.path("kind").asText().equals("Namespace")) {
                assertEquals(namespace, document.at("/metadata/namespace").asText(), where);
            }
        });
    }

    @Test
    void selectorsFindTheServerPods() {
        JsonNode deployment = only("apps/v1", "Deployment");
        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        assertSelects(deployment.at("/spec/selector/matchLabels"), podLabels, "Deployment selector");
        assertSelects(only("v1", "Service").at("/spec/selector"), podLabels, "Service selector");
        assertSelects(only("policy/v1", "PodDisruptionBudget").at("/spec/selector/matchLabels"), podLabels, "PDB");
        JsonNode serverPolicy = byName("networking.k8s.io/v1", "NetworkPolicy", "rollcall");
        assertSelects(serverPolicy.at("/spec/podSelector/matchLabels"), podLabels, "NetworkPolicy");

        JsonNode hpa = only("autoscaling/v2", "HorizontalPodAutoscaler");
        assertEquals("Deployment", hpa.at("/spec/scaleTargetRef/kind").asText());
        assertEquals(deployment.at("/metadata/name").asText(), hpa.at("/spec/scaleTargetRef/name").asText());
        assertTrue(hpa.at("/spec/minReplicas").asInt() >= deployment.at("/spec/replicas").asInt(),
                "the autoscaler never goes below the Deployment's replicas");
        assertEquals(3, deployment.at("/spec/replicas").asInt());

        JsonNode service = only("v1", "Service");
        JsonNode monitor = only("monitoring.coreos.com/v1", "ServiceMonitor");
        assertSelects(monitor.at("/spec/selector/matchLabels"), service.at("/metadata/labels"), "ServiceMonitor");
        Set<String> servicePorts = names(service.at("/spec/ports"));
        monitor.at("/spec/endpoints").forEach(endpoint -> assertTrue(servicePorts.contains(endpoint.path("port").asText()),
                "ServiceMonitor port " + endpoint.path("port") + " is a port of the Service " + servicePorts));
        monitor.at("/spec/endpoints").forEach(endpoint -> assertEquals("/q/metrics", endpoint.path("path").asText(),
                "Prometheus scrapes the server's metrics endpoint (MetricsEndpointTest)"));
        Set<String> containerPorts = names(deployment.at("/spec/template/spec/containers/0/ports"));
        service.at("/spec/ports").forEach(port -> assertTrue(containerPorts.contains(port.path("targetPort").asText()),
                "Service targetPort " + port.path("targetPort") + " is a container port " + containerPorts));

        String cluster = only("postgresql.cnpg.io/v1", "Cluster").at("/metadata/name").asText();
        JsonNode databasePolicy = byName("networking.k8s.io/v1", "NetworkPolicy", cluster);
        assertEquals(cluster, databasePolicy.at("/spec/podSelector/matchLabels").path("cnpg.io/cluster").asText());
        assertEquals(cluster, serverPolicy.at("/spec/egress/0/to/0/podSelector/matchLabels").path("cnpg.io/cluster")
                .asText(), "the server may reach its database");
    }

    @Test
    void theServerReadsOnlySecretKeysThatExist() {
        String cluster = only("postgresql.cnpg.io/v1", "Cluster").at("/metadata/name").asText();
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        secrets.put(cluster + "-app", CNPG_APP_SECRET_KEYS);
        readYaml(DIRECTORY.resolve("secrets.yaml")).forEach(secret -> {
            assertEquals(List.of(), problems(secret), "secrets.yaml");
            Set<String> keys = new java.util.TreeSet<>();
            secret.path("stringData").fieldNames().forEachRemaining(keys::add);
            secret.path("data").fieldNames().forEachRemaining(keys::add);
            secrets.put(secret.at("/metadata/name").asText(), keys);
        });

        JsonNode pod = only("apps/v1", "Deployment").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asText();
            JsonNode ref = variable.at("/valueFrom/secretKeyRef");
            if (!ref.isMissingNode()) {
                String secret = ref.path("name").asText();
                assertTrue(secrets.containsKey(secret), name + " reads Secret " + secret + ", which nothing defines");
                assertTrue(secrets.get(secret).contains(ref.path("key").asText()),
                        name + " reads key " + ref.path("key") + " that Secret " + secret + " does not have");
            }
            Matcher references = ENV_REFERENCE.matcher(variable.path("value").asText(""));
            while (references.find()) {
                assertTrue(env.containsKey(references.group(1)),
                        name + " uses $(" + references.group(1) + "), which must be defined before it");
            }
            env.put(name, variable.path("value").asText(null));
        }
        for (String setting : List.of("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_JDBC_URL",
                "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD", "ROLLCALL_TOKENS_PRIVATE_KEY_FILE",
                "ROLLCALL_TOKENS_PUBLIC_KEY_FILE", "ROLLCALL_OPERATOR_TOKEN_FILE")) {
            assertTrue(env.containsKey(setting), "the Deployment sets " + setting);
        }
        assertTrue(env.get("QUARKUS_DATASOURCE_REACTIVE_URL").startsWith("postgresql://"));
        assertTrue(env.get("QUARKUS_DATASOURCE_JDBC_URL").startsWith("jdbc:postgresql://"));
        env.forEach((name, value) -> assertFalse(value != null && value.contains("password"),
                name + " holds no password in plain text"));

        // The key and token files (every *_FILE setting) are in mounted Secrets, under keys they have.
        Map<String, String> secretMounts = new LinkedHashMap<>();
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("secret")) {
                String secret = volume.at("/secret/secretName").asText();
                assertTrue(secrets.containsKey(secret), "volume " + volume.path("name") + " mounts unknown " + secret);
                for (JsonNode mount : container.path("volumeMounts")) {
                    if (mount.path("name").asText().equals(volume.path("name").asText())) {
                        secretMounts.put(mount.path("mountPath").asText(), secret);
                    }
                }
            }
        }
        List<String> files = env.entrySet().stream().filter(e -> e.getKey().endsWith("_FILE")).map(Map.Entry::getValue)
                .toList();
        assertTrue(files.containsAll(List.of(env.get("ROLLCALL_TOKENS_PRIVATE_KEY_FILE"),
                env.get("ROLLCALL_TOKENS_PUBLIC_KEY_FILE"), env.get("ROLLCALL_OPERATOR_TOKEN_FILE"))));
        for (String file : files) {
            Path path = Path.of(file);
            String secret = secretMounts.get(path.getParent().toString());
            assertTrue(secret != null, file + " is in a mounted Secret");
            assertTrue(secrets.get(secret).contains(path.getFileName().toString()), file + " is a key of " + secret);
        }
    }

    @Test
    void podsRunNonRootOnAReadOnlyRootAndDrainBeforeStopping() {
        JsonNode pod = only("apps/v1", "Deployment").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        assertEquals(185, pod.at("/securityContext/runAsUser").asInt(), "the image's user");
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
        assertEquals("ALL", container.at("/securityContext/capabilities/drop/0").asText());
        Set<String> writable = new java.util.TreeSet<>();
        Set<String> emptyDirs = new java.util.TreeSet<>();
        pod.path("volumes").forEach(volume -> {
            if (volume.has("emptyDir")) {
                emptyDirs.add(volume.path("name").asText());
            }
        });
        container.path("volumeMounts").forEach(mount -> {
            if (emptyDirs.contains(mount.path("name").asText())) {
                writable.add(mount.path("mountPath").asText());
            }
        });
        assertTrue(writable.containsAll(Set.of("/tmp", "/data")), "/tmp and the data directory are writable: " + writable);

        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        Set<String> ports = names(container.path("ports"));
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            assertTrue(ports.contains(container.at("/" + probe + "/httpGet/port").asText()), probe + " port is named");
        }
        JsonNode preStop = container.at("/lifecycle/preStop/exec/command");
        assertEquals("sleep", preStop.get(0).asText());
        int sleep = preStop.get(1).asInt();
        int readinessDown = container.at("/readinessProbe/periodSeconds").asInt()
                * container.at("/readinessProbe/failureThreshold").asInt();
        assertTrue(sleep >= 5, "preStop lets the endpoint removal spread");
        int shutdownTimeout = shutdownTimeoutSeconds();
        assertTrue(pod.path("terminationGracePeriodSeconds").asInt() >= sleep + shutdownTimeout + 5,
                "the grace period covers preStop and the server's graceful shutdown (quarkus.shutdown.timeout "
                        + shutdownTimeout + " s)");
        assertTrue(readinessDown > 0);
        assertTrue(container.at("/resources/limits/memory").isTextual() && container.at("/resources/requests/cpu")
                .isTextual(), "requests and limits are set");
    }

    /** quarkus.shutdown.timeout of the server's configuration, in seconds. */
    private static int shutdownTimeoutSeconds() {
        java.util.Properties properties = new java.util.Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String timeout = properties.getProperty("quarkus.shutdown.timeout");
        assertTrue(timeout != null && timeout.matches("\\d+s"), "quarkus.shutdown.timeout in seconds: " + timeout);
        return Integer.parseInt(timeout.substring(0, timeout.length() - 1));
    }

    // --- helpers -----------------------------------------------------------------------------------------------------

    private static void assertSelects(JsonNode selector, JsonNode labels, String what) {
        assertTrue(selector.isObject() && selector.size() > 0, what + " has a selector");
        selector.fields().forEachRemaining(entry -> assertEquals(entry.getValue().asText(),
                labels.path(entry.getKey()).asText(null), what + " selects " + entry.getKey()));
    }

    private static Set<String> names(JsonNode list) {
        Set<String> names = new java.util.TreeSet<>();
        list.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    private static JsonNode only(String apiVersion, String kind) {
        List<JsonNode> found = documents().values().stream()
                .filter(d -> d.path("apiVersion").asText().equals(apiVersion) && d.path("kind").asText().equals(kind))
                .toList();
        assertEquals(1, found.size(), "one " + kind);
        return found.get(0);
    }

    private static JsonNode byName(String apiVersion, String kind, String name) {
        return documents().values().stream()
                .filter(d -> d.path("apiVersion").asText().equals(apiVersion) && d.path("kind").asText().equals(kind)
                        && d.at("/metadata/name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    /** Every document of every manifest (kustomization.yaml and the secrets template aside), by file and index. */
    private static Map<String, JsonNode> documents() {
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.equals("kustomization.yaml") || name.equals("secrets.yaml")) {
                    continue;
                }
                List<JsonNode> docs = readYaml(file);
                for (int i = 0; i < docs.size(); i++) {
                    documents.put(name + "#" + i + " (" + docs.get(i).path("kind").asText() + ")", docs.get(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(documents.size() >= 9, "the manifests are found: " + documents.keySet());
        return documents;
    }

    private static List<JsonNode> readYaml(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return readYaml(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> readYaml(String resource) {
        try (InputStream in = KubernetesManifestsTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return readYaml(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> readYaml(InputStream in) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        Iterator<JsonNode> values = YAML.readerFor(JsonNode.class).readValues(new YAMLFactory().createParser(in));
        while (values.hasNext()) {
            JsonNode document = values.next();
            if (document != null && !document.isNull() && !document.isMissingNode()) {
                documents.add(document);
            }
        }
        return documents;
    }

    private static ObjectMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        return mapper;
    }
}
