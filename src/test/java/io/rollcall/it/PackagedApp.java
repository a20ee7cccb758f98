package io.rollcall.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) as a person runs it: {@code java -jar} in a
 * working directory of its own, nothing configured, so it starts its embedded PostgreSQL under
 * {@code <work dir>/.rollcall/} and writes the owner and operator tokens there. One instance is one working directory
 * and one port; it can be stopped and started again on the same data. Each start writes its output to a log file in the
 * working directory, named by the caller.
 */
public final class PackagedApp implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path workDir;
    private final int port;
    private final List<String> options = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Process process;

    private PackagedApp(Path workDir, int port) {
        this.workDir = workDir;
        this.port = port;
    }

    /** An application in a fresh temporary working directory, on a free port; not started yet. */
    public static PackagedApp inTemporaryDirectory(String prefix) {
        try {
            return in(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An application working in the directory (created if missing), on a free port; not started yet. */
    public static PackagedApp in(Path workDir) {
        try {
            Files.createDirectories(workDir);
            return new PackagedApp(workDir.toAbsolutePath(), Ports.free());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JVM option for every start, e.g. {@code -Dquarkus.shutdown.delay=2s}. */
    public PackagedApp withOption(String option) {
        options.add(option);
        return this;
    }

    /** JVM options for every start. */
    public PackagedApp withOptions(List<String> options) {
        this.options.addAll(options);
        return this;
    }

    /** An environment variable for every start; a null value removes one the test JVM has. */
    public PackagedApp withEnvironment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts {@code java -jar} (without waiting for it); returns the log file. */
    public Path start(String logName) {
        Path log = workDir.resolve(logName);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dquarkus.http.port=" + port);
        command.addAll(options);
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + JAR + "; run ./mvnw package first", e);
        }
        return log;
    }

    /** Starts and waits until ready; returns the log file. */
    public Path startReady(String logName) {
        Path log = start(logName);
        awaitReady();
        return log;
    }

    /** Waits until {@code /q/health/ready} answers 200 (2 minutes at most: a loaded CI machine is slow). */
    public void awaitReady() {
        awaitStatus("/q/health/ready", 200, 120);
    }

    /** Waits until a GET of the path answers the status; fails at once if the application exits. */
    public void awaitStatus(String path, int expected, int seconds) {
        Http.awaitStatus(process, uri(path), expected, seconds, workDir);
    }

    /** SIGTERM, then waits for the process (and its embedded PostgreSQL) to end. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("The application did not stop within 60 s of SIGTERM; see " + workDir);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Ends a process still running: SIGTERM first, so that it stops its embedded PostgreSQL (killed outright, it left
     * that PostgreSQL running after every run), then SIGKILL if it has not ended within 30 s (after a failed test).
     */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            try {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    public Process process() {
        return process;
    }

    public int port() {
        return port;
    }

    public Path workDir() {
        return workDir;
    }

    /** Where the application keeps its data: the embedded PostgreSQL, signing keys and the bootstrap tokens. */
    public Path dataDir() {
        return workDir.resolve(".rollcall");
    }

    /** The Organization Owner token the first start wrote to {@code <data dir>/owner.token}. */
    public String ownerToken() {
        return read(dataDir().resolve("owner.token"));
    }

    /** The platform operator's token the first start wrote to {@code <data dir>/operator.token}. */
    public String operatorToken() {
        return read(dataDir().resolve("operator.token"));
    }

    /** Creates an access key holding SCIM Client, as the owner, and returns its token (shown only in that answer). */
    public String createScimClientToken(String name) throws IOException, InterruptedException {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/admin/v1/access-keys"))
                .header("Authorization", "Bearer " + ownerToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"roles\":[\"SCIM Client\"]}")));
        Matcher token = TOKEN.matcher(created.body());
        if (created.statusCode() != 201 || !token.find()) {
            throw new AssertionError("Creating an access key answered " + created.statusCode() + ": " + created.body());
        }
        return token.group(1);
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a GET, or -1 while nothing answers. */
    public int status(String path) {
        return Http.status(uri(path));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
