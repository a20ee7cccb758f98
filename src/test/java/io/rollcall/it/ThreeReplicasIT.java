package io.rollcall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * Three packaged Rollcall processes on one PostgreSQL server, as three replicas of the Kubernetes Deployment: they
 * share the signing key pair and the platform operator's token (files, as the Secrets provide them) and nothing else.
 * Started at the same moment on an empty database they create one organization (default) and one owner key, and
 * store one operator credential; the operator token works on each, and an organization it creates on one is served by
 * the others; membership PATCHes spread over the three lose nothing; a key revoked on one is refused by the others
 * within rollcall.auth.cache-ttl (5 s).
 */
class ThreeReplicasIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCIM_JSON = "application/scim+json";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path workDir;
    private ExternalPostgres database;
    private final List<Process> replicas = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private String operatorToken;

    @BeforeEach
    void databaseAndKeys() throws Exception {
        workDir = Files.createTempDirectory("rollcall-replicas-it-");
        database = ExternalPostgres.in(workDir.resolve("postgres"));
        database.start();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.writeString(workDir.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(workDir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        operatorToken = "rco_" + HexFormat.of().formatHex(random);
        Files.writeString(workDir.resolve("operator.token"), operatorToken + "\n");
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process replica : replicas) {
            replica.destroy();
        }
        for (Process replica : replicas) {
            replica.waitFor(30, TimeUnit.SECONDS);
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void threeReplicasShareOnePostgreSql() throws Exception {
        // Three first starts racing on the empty database.
        for (int i = 0; i < 3; i++) {
            int port = Ports.free();
            ports.add(port);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-Dquarkus.http.port=" + port));
            command.addAll(database.datasourceOptions());
            command.addAll(List.of("-Drollcall.data-dir=" + workDir.resolve("data-" + i),
                    "-Drollcall.tokens.private-key-file=" + workDir.resolve("private.pem"),
                    "-Drollcall.tokens.public-key-file=" + workDir.resolve("public.pem"),
                    "-Drollcall.operator.token-file=" + workDir.resolve("operator.token"),
                    "-jar", JAR.toAbsolutePath().toString()));
            replicas.add(new ProcessBuilder(command)
                    .directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("replica-" + i + ".log").toFile())
                    .start());
        }
        for (int i = 0; i < 3; i++) {
            awaitReady(i);
        }
        assertEquals(1, count("SELECT count(*) FROM organizations"), "one organization");
        assertEquals(1, count("SELECT count(*) FROM access_keys"), "one owner key");
        assertEquals(1, count("SELECT count(*) FROM platform_credentials"), "one operator credential");
        List<Path> tokenFiles = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path file = workDir.resolve("data-" + i).resolve("owner.token");
            if (Files.exists(file)) {
                tokenFiles.add(file);
            }
        }
        assertEquals(1, tokenFiles.size(), "exactly one replica bootstrapped and wrote the owner token");
        for (int i = 0; i < 3; i++) {
            assertTrue(Files.notExists(workDir.resolve("data-" + i).resolve("operator.token")),
                    "replica " + i + " uses the mounted operator token and generates none");
        }
        String owner = Files.readString(tokenFiles.get(0)).trim();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, send(i, "GET", "/admin/v1/access-keys", owner, null, null).statusCode(),
                    "every replica verifies the tokens any of them signed");
        }

        // The operator token (the same file on every replica) creates an organization on one; the others serve it.
        for (int i = 0; i < 3; i++) {
            assertEquals(200, send(i, "GET", "/admin/v1/organizations", operatorToken, null, null).statusCode(),
                    "replica " + i + " accepts the operator token");
        }
        HttpResponse<String> acme = send(2, "POST", "/admin/v1/organizations", operatorToken, "application/json",
                "{\"name\":\"acme\"}");
        assertEquals(201, acme.statusCode(), acme.body());
        String acmeOwner = JSON.readTree(acme.body()).path("accessKey").path("token").asText();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, send(i, "GET", "/admin/v1/access-keys", acmeOwner, null, null).statusCode(),
                    "replica " + i + " serves the organization created on replica 2");
        }
        assertEquals(2, count("SELECT count(*) FROM organizations"));

        // A SCIM Client key made on one replica works on all.
        HttpResponse<String> key = send(0, "POST", "/admin/v1/access-keys", owner, "application/json",
                "{\"name\":\"idp\",\"roles\":[\"SCIM Client\"]}");
        assertEquals(201, key.statusCode(), key.body());
        JsonNode keyJson = JSON.readTree(key.body());
        String scim = keyJson.path("token").asText();
        String keyId = keyJson.path("id").asText();

        // Membership changes spread over the three replicas, concurrently: nothing lost.
        HttpResponse<String> group = send(0, "POST", "/scim/v2/Groups", scim, SCIM_JSON,
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Spread\"}");
        assertEquals(201, group.statusCode(), group.body());
        String groupId = JSON.readTree(group.body()).path("id").asText();
        int users = 60;
        List<String> userIds = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            HttpResponse<String> user = send(u % 3, "POST", "/scim/v2/Users", scim, SCIM_JSON,
                    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"member" + u
                            + "@example.com\"}");
            assertEquals(201, user.statusCode(), user.body());
            userIds.add(JSON.readTree(user.body()).path("id").asText());
        }
        patchMembersConcurrently(groupId, scim, "add", userIds);
        assertEquals(new HashSet<>(userIds), members(2, groupId, scim), "every add, on whichever replica, is kept");
        List<String> removed = userIds.subList(0, users / 2);
        patchMembersConcurrently(groupId, scim, "remove", removed);
        Set<String> expected = new HashSet<>(userIds.subList(users / 2, users));
        for (int i = 0; i < 3; i++) {
            assertEquals(expected, members(i, groupId, scim), "replica " + i + " sees the same members");
        }

        // A key revoked on one replica is refused by the others within the cache TTL (5 s).
        for (int i = 0; i < 3; i++) {
            assertEquals(200, send(i, "GET", "/scim/v2/ResourceTypes", scim, null, null).statusCode());
        }
        long revoked = System.nanoTime();
        assertEquals(204, send(1, "DELETE", "/admin/v1/access-keys/" + keyId, owner, null, null).statusCode());
        assertEquals(401, send(1, "GET", "/scim/v2/ResourceTypes", scim, null, null).statusCode(),
                "refused at once on the replica that revoked it");
        long slowest = 0;
        for (int i : new int[] {0, 2}) {
            while (send(i, "GET", "/scim/v2/ResourceTypes", scim, null, null).statusCode() != 401) {
                assertTrue(System.nanoTime() - revoked < TimeUnit.SECONDS.toNanos(10),
                        "replica " + i + " still accepts the revoked key after 10 s");
                Thread.sleep(100);
            }
            slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revoked));
        }
        assertTrue(slowest <= 7_000, "refused everywhere within the 5 s cache TTL (+2 s for the requests on a busy "
                + "machine): " + slowest + " ms");
        System.out.printf("ThreeReplicasIT: %d membership PATCHes over 3 replicas kept; revoked key refused by every "
                + "replica %d ms after the DELETE%n", users + removed.size(), slowest);
    }

    private void patchMembersConcurrently(String groupId, String token, String op, List<String> userIds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int u = 0; u < userIds.size(); u++) {
                int replica = u % 3;
                String member = userIds.get(u);
                String body = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\""
                        + op + "\",\"path\":\"members\",\"value\":[{\"value\":\"" + member + "\"}]}]}";
                results.add(pool.submit(() -> send(replica, "PATCH", "/scim/v2/Groups/" + groupId, token, SCIM_JSON,
                        body)));
            }
            for (Future<HttpResponse<String>> result : results) {
                HttpResponse<String> response = result.get(60, TimeUnit.SECONDS);
                assertEquals(204, response.statusCode(), response.body());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Set<String> members(int replica, String groupId, String token) throws Exception {
        HttpResponse<String> group = send(replica, "GET", "/scim/v2/Groups/" + groupId + "?attributes=members", token,
                null, null);
        assertEquals(200, group.statusCode(), group.body());
        Set<String> ids = new HashSet<>();
        JSON.readTree(group.body()).path("members").forEach(member -> ids.add(member.path("value").asText()));
        return ids;
    }

    private HttpResponse<String> send(int replica, String method, String path, String token, String contentType,
            String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + ports.get(replica) + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady(int replica) {
        Http.awaitStatus(replicas.get(replica), URI.create("http://localhost:" + ports.get(replica) + "/q/health/ready"),
                200, 180, workDir.resolve("replica-" + replica + ".log"));
    }

    private long count(String sql) throws Exception {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
