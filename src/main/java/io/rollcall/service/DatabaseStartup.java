package io.rollcall.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.rollcall.config.RollcallConfig;
import io.rollcall.store.SchemaMigrations;

/**
 * The start-up steps that need the database: Flyway's migrations ({@link SchemaMigrations}), then the bootstrap
 * ({@link BootstrapService}). Tried once while the server starts; when the database cannot be reached, the server
 * starts all the same (liveness UP, readiness DOWN, the APIs answer 503) and the steps are tried again in the
 * background, {@code rollcall.database.startup-retry-first-delay} after the first failure, the wait doubling up to
 * {@code rollcall.database.startup-retry-max-delay}, until the database answers. Any other failure (a wrong password,
 * a broken migration history) stops the server, as waiting would not mend it.
 */
@ApplicationScoped
public class DatabaseStartup {

    private static final Logger LOG = Logger.getLogger(DatabaseStartup.class);

    private final SchemaMigrations migrations;
    private final BootstrapService bootstrap;
    private final RollcallConfig.Database settings;
    private volatile boolean ready;
    private volatile Thread retries;

    public DatabaseStartup(SchemaMigrations migrations, BootstrapService bootstrap, RollcallConfig config) {
        this.migrations = migrations;
        this.bootstrap = bootstrap;
        this.settings = config.database();
    }

    /** Whether the schema is this build's and the bootstrap has run: until then the APIs answer 503. */
    public boolean ready() {
        return ready;
    }

    void onStart(@Observes StartupEvent event) throws Throwable {
        try {
            attempt();
        } catch (Throwable failure) {
            if (!StoreFailures.unavailable(failure)) {
                throw failure;
            }
            LOG.warnf("The database is unreachable (%s); the server starts without it, answers 503 and retries the "
                    + "migrations and the bootstrap in %s", cause(failure), settings.startupRetryFirstDelay());
            Thread thread = new Thread(this::retry, "rollcall-database-startup");
            thread.setDaemon(true);
            retries = thread;
            thread.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread running = retries;
        if (running != null) {
            running.interrupt();
        }
    }

    private void attempt() throws Throwable {
        migrations.migrate();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(bootstrap::bootstrap));
        ready = true;
    }

    private void retry() {
        Duration delay = settings.startupRetryFirstDelay();
        for (int attempt = 2; !ready; attempt++) {
            try {
                Thread.sleep(delay.toMillis());
                attempt();
                LOG.infof("The database is reachable: migrations and bootstrap done at attempt %d; the server is ready",
                        attempt);
            } catch (InterruptedException stopping) {
                return;
            } catch (Throwable failure) {
                if (!StoreFailures.unavailable(failure)) {
                    LOG.error("Start-up failed once the database was reachable; the server stops", failure);
                    Quarkus.asyncExit(1);
                    return;
                }
                delay = min(delay.multipliedBy(2), settings.startupRetryMaxDelay());
                LOG.warnf("The database is still unreachable at attempt %d (%s); next attempt in %s", attempt,
                        cause(failure), delay);
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String cause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
