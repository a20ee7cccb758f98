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
import java.util.List;
import java.util.Locale;
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
 * LOAD_TIMEOUT       seconds the whole load may take before it gives up (default 3600)
 * </pre>
 *
 * users.txt holds the id of userN on line N (spare.txt likewise for spareN, groups.txt for groupN); the wrk scenarios
 * read them. load.txt holds one "key=value" per line (counts, seconds, rates) for run.sh's report. Any non-2xx answer
 * stops the load with the answer printed and exit code 1.
 */
public class Loader {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-fA-F-]{36})\"");
    private static final Pattern TOTAL = Pattern.compile("\"totalResults\"\\s*:\\s*(\\d+)");
    private static final String SCIM_JSON = "application/scim+json";
    private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    private final HttpClient client;
    private final String base;
    private final String token;
    private final int concurrency;
    private final long deadlineNanos;

    Loader(String base, String token, int concurrency, long timeoutSeconds) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.concurrency = concurrency;
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
        long timeout = intEnv("LOAD_TIMEOUT", 3600);
        if (users < 1 || groups < 2) {
            throw new IllegalArgumentException("USERS must be >= 1 and GROUPS >= 2 (group1 is the big group, the "
                    + "others take the +1,000-member scenario)");
        }
        Files.createDirectories(data);
        Loader loader = new Loader(base, token, concurrency, timeout);
        List<String> report = new ArrayList<>();

        long t0 = System.nanoTime();
        String[] userIds = loader.createAll("user", users, Loader::userBody);
        double userSeconds = seconds(t0);
        Files.write(data.resolve("users.txt"), List.of(userIds));
        report.add("users=" + users);
        report.add("users_seconds=" + fmt(userSeconds));
        report.add("users_per_s=" + fmt(users / userSeconds));
        System.out.printf(Locale.ROOT, "loader: %d users in %.1f s (%.0f users/s)%n", users, userSeconds,
                users / userSeconds);

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

    /** Creates count resources with bodies body(1..count) and returns their ids, index i-1 for resource i. */
    String[] createAll(String what, int count, IntFunction<String> body) throws Exception {
        String path = what.endsWith("group") ? "/scim/v2/Groups" : "/scim/v2/Users";
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
}
