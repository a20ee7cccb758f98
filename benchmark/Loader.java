import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the benchmark data set into a running Rollcall over SCIM (loopback only), with at most CONCURRENCY requests in
 * flight. Run it as a single-file program: {@code java benchmark/Loader.java} (JDK 17+), configured by environment:
 *
 * <pre>
 * BENCH_URL          base URL, e.g. http://127.0.0.1:18080 (must be a loopback address)
 * BENCH_TOKEN        a SCIM Client token
 * BENCH_DATA         directory where users.txt, spare.txt, groups.txt and load.txt are written
 * USERS              users user1..userN (default 100000)
 * SPARE_USERS        extra users spare1..spareN that are in no group, for the ±1-member scenario (default 1000)
 * LARGE_USERS        extra users large1..largeN of ~30 KB each (twenty X.509 certificates), for the large-page
 *                    scenario (default 0)
 * BENCH_GROUPS       groups group1..groupN; group1 is the big group (default 1000; GROUPS is read too, but bash does
 *                    not pass a GROUPS=... prefix on, as GROUPS is one of its own variables)
 * BIG_GROUP_MEMBERS  users 1..M added to group1 in PATCHes of 1,000 members (default USERS)
 * CONCURRENCY        requests in flight (default 16)
 * LOAD_BULK          0: create users one POST each (default); N > 0: create users, spare users and large users by
 *                    SCIM Bulk requests (POST /scim/v2/Bulk) of up to N POST operations each, fewer when N would not
 *                    fit the server's advertised bulk.maxPayloadSize; N above its bulk.maxOperations is refused before
 *                    anything is loaded. Groups and group1's members are created as with 0.
 * LOAD_TIMEOUT       seconds the whole load may take before it gives up (default 3600)
 * </pre>
 *
 * users.txt holds the id of userN on line N (spare.txt likewise for spareN, groups.txt for groupN); the wrk scenarios
 * read them. load.txt holds one "key=value" per line (counts, seconds, rates) for run.sh's report. Any non-2xx answer
 * stops the load with the answer printed and exit code 1; with LOAD_BULK, so does a Bulk answer that is not 200 or
 * in which any operation's status is not 201 (each operation has a bulkId, and userN's id is read from the
 * {@code location} of the operation with userN's bulkId).
 */
public class Loader {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");
    private static final Pattern ID_VALUE = Pattern.compile("[0-9a-fA-F-]{36}");
    /** How long one Bulk request may take: CONCURRENCY requests of LOAD_BULK creates queue for the same connections. */
    private static final int BULK_TIMEOUT_SECONDS = 300;
    private static final Pattern TOTAL = Pattern.compile("\"totalResults\"\\s*:\\s*(\\d+)");
    private static final String SCIM_JSON = "application/scim+json";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private final HttpClient client;
    private final String base;
    private final String token;
    private final int concurrency;
    private final int bulk;
    private final long deadlineNanos;
    /** The server's advertised bulk.maxPayloadSize in bytes, read when bulk > 0. */
    private long bulkMaxPayload;

    Loader(String base, String token, int concurrency, int bulk, long timeoutSeconds) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.concurrency = concurrency;
        this.bulk = bulk;
        this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static void main(String[] args) throws Exception {
        String base = env("BENCH_URL", "http://127.0.0.1:18080");
        String host = URI.create(base).getHost();
        if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"))) {
            throw new IllegalArgumentException("BENCH_URL must be a loopback address, got " + base);
        }
        String token = required("BENCH_TOKEN");
        Path data = Path.of(required("BENCH_DATA"));
        int users = intEnv("USERS", 100_000);
        int spare = intEnv("SPARE_USERS", 1_000);
        int large = intEnv("LARGE_USERS", 0);
        int groups = intEnv("BENCH_GROUPS", intEnv("GROUPS", 1_000));
        int bigMembers = Math.min(intEnv("BIG_GROUP_MEMBERS", users), users);
        int concurrency = intEnv("CONCURRENCY", 16);
        int bulk = intEnv("LOAD_BULK", 0);
        long timeout = intEnv("LOAD_TIMEOUT", 3600);
        if (users < 1 || groups < 2) {
            throw new IllegalArgumentException("USERS must be >= 1 and GROUPS >= 2 (group1 is the big group, the "
                    + "others take the +1,000-member scenario)");
        }
        if (bulk < 0 || concurrency < 1) {
            throw new IllegalArgumentException("LOAD_BULK must be >= 0 and CONCURRENCY >= 1");
        }
        Files.createDirectories(data);
        Loader loader = new Loader(base, token, concurrency, bulk, timeout);
        List<String> report = new ArrayList<>();
        if (bulk > 0) {
            loader.readBulkLimits();
        }
        report.add("load_bulk=" + bulk);

        long t0 = System.nanoTime();
        String[] userIds = loader.createAll("user", users, Loader::userBody);
        double userSeconds = seconds(t0);
        Files.write(data.resolve("users.txt"), List.of(userIds));
        report.add("users=" + users);
        report.add("users_seconds=" + fmt(userSeconds));
        report.add("users_per_s=" + fmt(users / userSeconds));
        System.out.printf(Locale.ROOT, "loader: %d users in %.1f s (%.0f users/s%s)%n", users, userSeconds,
                users / userSeconds, bulk > 0 ? ", Bulk requests of up to " + bulk + " creates" : "");

        long t1 = System.nanoTime();
        String[] spareIds = loader.createAll("spare user", spare, Loader::spareBody);
        Files.write(data.resolve("spare.txt"), List.of(spareIds));
        report.add("spare_users=" + spare);
        System.out.printf(Locale.ROOT, "loader: %d spare users in %.1f s%n", spare, seconds(t1));

        if (large > 0) {
            long tl = System.nanoTime();
            String[] largeIds = loader.createAll("large user", large, Loader::largeBody);
            Files.write(data.resolve("large.txt"), List.of(largeIds));
            report.add("large_users=" + large);
            report.add("large_user_bytes=" + largeBody(1).length());
            System.out.printf(Locale.ROOT, "loader: %d large users (%d bytes each) in %.1f s%n", large,
                    largeBody(1).length(), seconds(tl));
        }

        long t2 = System.nanoTime();
        String[] groupIds = loader.createAll("group", groups, Loader::groupBody);
        double groupSeconds = seconds(t2);
        Files.write(data.resolve("groups.txt"), List.of(groupIds));
        report.add("groups=" + groups);
        report.add("groups_seconds=" + fmt(groupSeconds));
        System.out.printf(Locale.ROOT, "loader: %d groups in %.1f s%n", groups, groupSeconds);

        // The big group: PATCH add members in batches of 1,000, one after another (they all lock the same group row).
        long t3 = System.nanoTime();
        int batches = 0;
        for (int from = 0; from < bigMembers; from += 1000) {
            loader.checkDeadline();
            int to = Math.min(from + 1000, bigMembers);
            String body = addMembersBody(userIds, from, to);
            HttpResponse<String> response = loader.send(loader.request("/scim/v2/Groups/" + groupIds[0])
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
            loader.expect2xx(response, "PATCH big group members " + from + ".." + (to - 1));
            batches++;
        }
        double bigSeconds = seconds(t3);
        report.add("big_group_members=" + bigMembers);
        report.add("big_group_seconds=" + fmt(bigSeconds));
        report.add("big_group_members_per_s=" + fmt(bigMembers / Math.max(bigSeconds, 1e-9)));
        System.out.printf(Locale.ROOT, "loader: big group filled with %d members in %d PATCHes in %.1f s (%.0f members/s)%n",
                bigMembers, batches, bigSeconds, bigMembers / Math.max(bigSeconds, 1e-9));

        // Check what the server now holds.
        long totalUsers = loader.total("/scim/v2/Users?count=0");
        long totalGroups = loader.total("/scim/v2/Groups?count=0");
        long inBig = loader.total("/scim/v2/Users?count=0&filter="
                + encode("groups.value eq \"" + groupIds[0] + "\""));
        System.out.printf(Locale.ROOT, "loader: server reports %d users, %d groups, %d members in group1%n", totalUsers,
                totalGroups, inBig);
        if (totalUsers != users + spare + large || totalGroups != groups || inBig != bigMembers) {
            System.err.printf(Locale.ROOT, "loader: expected %d users, %d groups, %d members in group1%n",
                    users + spare + large, groups, bigMembers);
            System.exit(1);
        }
        report.add("load_seconds=" + fmt(seconds(t0)));
        Files.write(data.resolve("load.txt"), report);
    }

    /**
     * Reads bulk.maxOperations and bulk.maxPayloadSize from /ServiceProviderConfig; exits 1 when the server has no Bulk
     * or LOAD_BULK is above its maxOperations.
     */
    void readBulkLimits() throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/scim/v2/ServiceProviderConfig").GET().build());
        expect2xx(response, "GET /scim/v2/ServiceProviderConfig");
        Object bulkConfig = Json.parse(response.body()) instanceof Map<?, ?> spc ? spc.get("bulk") : null;
        if (!(bulkConfig instanceof Map<?, ?> limits) || !Boolean.TRUE.equals(limits.get("supported"))
                || !(limits.get("maxOperations") instanceof Number maxOperations)
                || !(limits.get("maxPayloadSize") instanceof Number maxPayload)) {
            System.err.println("loader: LOAD_BULK=" + bulk + " but the server's ServiceProviderConfig advertises no "
                    + "usable Bulk support: " + response.body());
            System.exit(1);
            return;
        }
        if (bulk > maxOperations.longValue()) {
            System.err.println("loader: LOAD_BULK=" + bulk + " is above the server's bulk.maxOperations ("
                    + maxOperations.longValue() + "): set LOAD_BULK to at most that");
            System.exit(1);
        }
        bulkMaxPayload = maxPayload.longValue();
        System.out.printf(Locale.ROOT, "loader: users by Bulk requests of up to %d operations (server: maxOperations "
                + "%d, maxPayloadSize %d bytes), %d in flight%n", bulk, maxOperations.longValue(), bulkMaxPayload,
                concurrency);
    }

    /** Creates count resources with bodies body(1..count) and returns their ids, index i-1 for resource i. */
    String[] createAll(String what, int count, IntFunction<String> body) throws Exception {
        String path = what.endsWith("group") ? "/scim/v2/Groups" : "/scim/v2/Users";
        if (bulk > 0 && !what.endsWith("group")) {
            return createAllBulk(what, count, body);
        }
        String[] ids = new String[count];
        Semaphore slots = new Semaphore(concurrency);
        AtomicReference<String> failure = new AtomicReference<>();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        for (int i = 1; i <= count && failure.get() == null; i++) {
            checkDeadline();
            if (!slots.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no answer from the server for 60 s while creating " + what + "s");
            }
            int n = i;
            HttpRequest request = request(path).POST(HttpRequest.BodyPublishers.ofString(body.apply(n))).build();
            inFlight.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .orTimeout(60, TimeUnit.SECONDS)
                    .handle((response, error) -> {
                        try {
                            if (error != null) {
                                failure.compareAndSet(null, what + " " + n + ": " + error);
                            } else if (response.statusCode() / 100 != 2) {
                                failure.compareAndSet(null, what + " " + n + ": HTTP " + response.statusCode() + " "
                                        + response.body());
                            } else {
                                Matcher m = ID.matcher(response.body());
                                if (m.find()) {
                                    ids[n - 1] = m.group(1);
                                } else {
                                    failure.compareAndSet(null, what + " " + n + ": no id in " + response.body());
                                }
                            }
                        } finally {
                            slots.release();
                        }
                        return null;
                    }));
            if (inFlight.size() >= 4096) {
                inFlight.removeIf(CompletableFuture::isDone);
            }
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        if (failure.get() != null) {
            System.err.println("loader: failed: " + failure.get());
            System.exit(1);
        }
        return ids;
    }

    /**
     * Creates count users with bodies body(1..count) by Bulk requests of up to LOAD_BULK POST operations (fewer when
     * the body would exceed bulk.maxPayloadSize), CONCURRENCY requests in flight, and returns their ids, index i-1 for
     * user i. Operation i has bulkId "&lt;what&gt;&lt;i&gt;" (spaces removed); its id is the last segment of its
     * location (or the response's "id"). Anything but HTTP 200 with status 201 for every operation stops the load.
     */
    String[] createAllBulk(String what, int count, IntFunction<String> body) throws Exception {
        String prefix = what.replace(" ", "");
        String head = "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":[";
        String tail = "]}";
        long envelope = utf8Length(head) + utf8Length(tail);
        String[] ids = new String[count];
        Semaphore slots = new Semaphore(concurrency);
        AtomicReference<String> failure = new AtomicReference<>();
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        String pending = null;
        int next = 1;
        while (next <= count && failure.get() == null) {
            checkDeadline();
            int first = next;
            StringBuilder request = new StringBuilder(head);
            long bytes = envelope;
            while (next <= count && next - first < bulk) {
                String operation = pending != null ? pending
                        : "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"" + prefix + next
                                + "\",\"data\":" + body.apply(next) + "}";
                pending = null;
                long size = utf8Length(operation) + (next > first ? 1 : 0);
                if (bytes + size > bulkMaxPayload) {
                    if (next == first) {
                        System.err.printf(Locale.ROOT, "loader: %s %d: one Bulk operation of %d bytes does not fit "
                                + "the server's bulk.maxPayloadSize (%d bytes)%n", what, next, envelope + size,
                                bulkMaxPayload);
                        System.exit(1);
                    }
                    pending = operation;
                    break;
                }
                request.append(next > first ? "," : "").append(operation);
                bytes += size;
                next++;
            }
            int last = next - 1;
            if (!slots.tryAcquire(BULK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no answer from the server for " + BULK_TIMEOUT_SECONDS
                        + " s while creating " + what + "s by Bulk");
            }
            HttpRequest httpRequest = request("/scim/v2/Bulk").timeout(Duration.ofSeconds(BULK_TIMEOUT_SECONDS))
                    .POST(HttpRequest.BodyPublishers.ofString(request.append(tail).toString())).build();
            String range = what + "s " + first + ".." + last;
            inFlight.add(client.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .orTimeout(BULK_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .handle((response, error) -> {
                        try {
                            String problem = error != null ? range + ": " + error
                                    : bulkIds(response, prefix, first, last, ids, range);
                            if (problem != null) {
                                failure.compareAndSet(null, problem);
                            }
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, range + ": " + e + " reading " + response.body());
                        } finally {
                            slots.release();
                        }
                        return null;
                    }));
            if (inFlight.size() >= 4096) {
                inFlight.removeIf(CompletableFuture::isDone);
            }
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(BULK_TIMEOUT_SECONDS + 60,
                TimeUnit.SECONDS);
        if (failure.get() != null) {
            System.err.println("loader: failed: " + failure.get());
            System.exit(1);
        }
        return ids;
    }

    /**
     * Puts the ids of a Bulk answer's operations, &lt;prefix&gt;first..&lt;prefix&gt;last, into ids; returns null, or what is
     * wrong (anything but HTTP 200 with one status-201 operation per bulkId sent) with the answer.
     */
    static String bulkIds(HttpResponse<String> response, String prefix, int first, int last, String[] ids,
            String range) {
        if (response.statusCode() != 200) {
            return range + ": HTTP " + response.statusCode() + " " + response.body();
        }
        Object answer = Json.parse(response.body());
        if (!(answer instanceof Map<?, ?> message) || !(message.get("Operations") instanceof List<?> operations)) {
            return range + ": no Operations in " + response.body();
        }
        int found = 0;
        for (Object item : operations) {
            if (!(item instanceof Map<?, ?> operation)) {
                return range + ": operation " + Json.write(item) + " is not an object";
            }
            Object bulkId = operation.get("bulkId");
            int n = bulkId instanceof String s && s.startsWith(prefix) && s.substring(prefix.length()).matches("\\d{1,9}")
                    ? Integer.parseInt(s.substring(prefix.length())) : -1;
            if (n < first || n > last || ids[n - 1] != null) {
                return range + ": unexpected or repeated bulkId in operation " + Json.write(operation);
            }
            if (!"201".equals(operation.get("status"))) {
                return range + ": operation " + bulkId + " answered status " + operation.get("status") + ": "
                        + Json.write(operation);
            }
            String id = null;
            if (operation.get("location") instanceof String location) {
                id = location.substring(location.lastIndexOf('/') + 1);
            } else if (operation.get("response") instanceof Map<?, ?> resource && resource.get("id") instanceof String s) {
                id = s;
            }
            if (id == null || !ID_VALUE.matcher(id).matches()) {
                return range + ": no id in operation " + Json.write(operation);
            }
            ids[n - 1] = id;
            found++;
        }
        if (found != last - first + 1) {
            return range + ": " + found + " operations answered of " + (last - first + 1) + " sent: "
                    + response.body();
        }
        return null;
    }

    static long utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", SCIM_JSON)
                .header("Accept", SCIM_JSON);
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    long total(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request(path).GET().build());
        expect2xx(response, "GET " + path);
        Matcher m = TOTAL.matcher(response.body());
        if (!m.find()) {
            throw new IllegalStateException("no totalResults in " + response.body());
        }
        return Long.parseLong(m.group(1));
    }

    void expect2xx(HttpResponse<String> response, String what) {
        if (response.statusCode() / 100 != 2) {
            System.err.println("loader: " + what + ": HTTP " + response.statusCode() + " " + response.body());
            System.exit(1);
        }
    }

    void checkDeadline() {
        if (System.nanoTime() > deadlineNanos) {
            System.err.println("loader: LOAD_TIMEOUT reached, giving up");
            System.exit(1);
        }
    }

    static String userBody(int n) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\"user" + n + "@bench.example\","
                + "\"externalId\":\"ext-" + n + "\","
                + "\"name\":{\"givenName\":\"Given" + n + "\",\"familyName\":\"Family" + n + "\"},"
                + "\"displayName\":\"Bench User " + n + "\","
                + "\"emails\":[{\"value\":\"mail" + n + "@bench.example\",\"type\":\"work\",\"primary\":true}],"
                + "\"active\":true}";
    }

    static String spareBody(int n) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\"spare" + n + "@bench.example\","
                + "\"externalId\":\"spare-ext-" + n + "\","
                + "\"name\":{\"givenName\":\"Spare" + n + "\",\"familyName\":\"Bench\"},"
                + "\"emails\":[{\"value\":\"spare" + n + "@bench.example\",\"type\":\"work\",\"primary\":true}],"
                + "\"active\":true}";
    }

    /** A user of ~30 KB: an IdP that sends certificates, many addresses or long custom values makes users this big. */
    static String largeBody(int n) {
        StringBuilder certificates = new StringBuilder();
        java.util.Random random = new java.util.Random(n);
        for (int i = 0; i < 20; i++) {
            byte[] der = new byte[1_100];
            random.nextBytes(der);
            certificates.append(i > 0 ? "," : "").append("{\"value\":\"")
                    .append(java.util.Base64.getEncoder().encodeToString(der)).append("\"}");
        }
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\"large" + n + "@bench.example\","
                + "\"externalId\":\"large-ext-" + n + "\","
                + "\"name\":{\"givenName\":\"Large" + n + "\",\"familyName\":\"Bench\"},"
                + "\"emails\":[{\"value\":\"large" + n + "@bench.example\",\"type\":\"work\",\"primary\":true}],"
                + "\"x509Certificates\":[" + certificates + "],"
                + "\"active\":true}";
    }

    static String groupBody(int n) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                + "\"displayName\":\"group" + n + "\",\"externalId\":\"gext-" + n + "\"}";
    }

    static String addMembersBody(String[] ids, int from, int to) {
        StringBuilder body = new StringBuilder(64 * (to - from) + 128);
        body.append("{\"schemas\":[\"").append(PATCH_OP).append("\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[");
        for (int i = from; i < to; i++) {
            if (i > from) {
                body.append(',');
            }
            body.append("{\"value\":\"").append(ids[i]).append("\"}");
        }
        return body.append("]}]}").toString();
    }

    static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set");
        }
        return value;
    }

    static int intEnv(String name, int fallback) {
        return Integer.parseInt(env(name, String.valueOf(fallback)));
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Just enough JSON for the Bulk answers and the ServiceProviderConfig: objects, arrays, strings, numbers, literals. */
    static final class Json {
        private final String text;
        private int at;

        private Json(String text) {
            this.text = text;
        }

        /** Map (in order), List, String, Long or Double, Boolean or null; IllegalArgumentException if not JSON. */
        static Object parse(String text) {
            Json json = new Json(text);
            Object value = json.value();
            json.space();
            if (json.at != text.length()) {
                throw json.error("end of input");
            }
            return value;
        }

        private Object value() {
            space();
            if (at >= text.length()) {
                throw error("a value");
            }
            char c = text.charAt(at);
            switch (c) {
                case '{' -> {
                    Map<String, Object> object = new LinkedHashMap<>();
                    at++;
                    space();
                    if (peek('}')) {
                        return object;
                    }
                    do {
                        space();
                        String key = string();
                        space();
                        expect(':');
                        object.put(key, value());
                        space();
                    } while (peek(','));
                    expect('}');
                    return object;
                }
                case '[' -> {
                    List<Object> array = new ArrayList<>();
                    at++;
                    space();
                    if (peek(']')) {
                        return array;
                    }
                    do {
                        array.add(value());
                        space();
                    } while (peek(','));
                    expect(']');
                    return array;
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    for (String literal : new String[] { "true", "false", "null" }) {
                        if (text.startsWith(literal, at)) {
                            at += literal.length();
                            return literal.equals("null") ? null : Boolean.valueOf(literal);
                        }
                    }
                    int start = at;
                    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                        at++;
                    }
                    String number = text.substring(start, at);
                    try {
                        return number.matches("-?\\d+") ? (Object) Long.valueOf(number) : (Object) Double.valueOf(number);
                    } catch (NumberFormatException e) {
                        at = start;
                        throw error("a value");
                    }
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw error("the end of a string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = at < text.length() ? text.charAt(at++) : ' ';
                switch (e) {
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (at + 4 > text.length()) {
                            throw error("four hex digits");
                        }
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> out.append(e);
                }
            }
        }

        private void space() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private boolean peek(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("'" + c + "'");
            }
        }

        private IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("not JSON: expected " + expected + " at offset " + at);
        }

        /** The value as JSON again, to print an operation's answer. */
        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value instanceof Map<?, ?> object) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : object.entrySet()) {
                    out.append(first ? "" : ",");
                    write(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                    first = false;
                }
                out.append('}');
            } else if (value instanceof List<?> array) {
                out.append('[');
                for (int i = 0; i < array.size(); i++) {
                    out.append(i > 0 ? "," : "");
                    write(array.get(i), out);
                }
                out.append(']');
            } else if (value instanceof String string) {
                out.append('"');
                for (char c : string.toCharArray()) {
                    if (c == '"' || c == '\\') {
                        out.append('\\').append(c);
                    } else if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
                out.append('"');
            } else {
                out.append(value);
            }
        }
    }
}
