package io.rollcall.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.restassured.RestAssured;
import io.rollcall.it.PackagedApp;
import io.rollcall.support.Tokens;
import io.rollcall.support.Utf8Bodies;

/**
 * The packaged server the console's browser tests drive: {@code java -jar target/quarkus-app/quarkus-run.jar} on its
 * embedded PostgreSQL, working in {@code target/console-e2e/} (its log is {@code server.log} there). It starts once,
 * before the first console test class, and stops (SIGTERM) when the whole run ends, so the classes share its start-up
 * time and its data; every name a test makes is unique. REST Assured and {@link Tokens} are pointed at it, so the
 * tests prepare data over the admin and SCIM APIs as an administrator or an identity provider would.
 */
final class ConsoleServer implements BeforeAllCallback {

    static final Path WORK_DIR = Path.of("target", "console-e2e");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConsoleServer.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Running server = context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(Running.class, ignored -> Running.start(), Running.class);
        RestAssured.port = server.app().port();
        Utf8Bodies.configure();
        Tokens.useDataDir(server.app().dataDir());
    }

    /** The console's address on the running server; call from a test (after {@link #beforeAll}). */
    static String consoleUrl() {
        return "http://localhost:" + RestAssured.port + "/console/";
    }

    /** Closed by JUnit when the run ends: the server stops gracefully, taking its PostgreSQL with it. */
    record Running(PackagedApp app) implements AutoCloseable {

        static Running start() {
            deleteRecursively(WORK_DIR);
            PackagedApp app = PackagedApp.in(WORK_DIR);
            app.startReady("server.log");
            // should the test JVM end without closing the store (killed by a timeout), SIGTERM still reaches the
            // server, whose own hook then stops its embedded PostgreSQL
            Process process = app.process();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            return new Running(app);
        }

        @Override
        public void close() {
            try {
                app.stop();
            } finally {
                app.close();
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
