package io.rollcall.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.rollcall.config.RollcallConfig;
import io.rollcall.store.AuditRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The retention of the audit log and the change-event outbox ({@code rollcall.audit.retention}, 90 days): every
 * instance purges, every {@code rollcall.audit.purge-interval} and once a minute after it starts, the rows older than
 * the retention, oldest first, a batch per transaction until none is left. Several replicas purging at once delete
 * each row once (the second delete of a row finds it gone), so no coordination is needed; a purge that fails (the
 * database away) is logged and tried again at the next interval.
 */
@ApplicationScoped
public class AuditRetention {

    private static final Logger LOG = Logger.getLogger(AuditRetention.class);
    private static final long FIRST_RUN_MILLIS = 60_000;

    private final AuditRepository audit;
    private final RollcallConfig config;
    private final Vertx vertx;
    private volatile long timer = -1;

    public AuditRetention(AuditRepository audit, RollcallConfig config, Vertx vertx) {
        this.audit = audit;
        this.config = config;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        long interval = Math.max(1_000, config.audit().purgeInterval().toMillis());
        vertx.setTimer(Math.min(FIRST_RUN_MILLIS, interval), first -> {
            runInBackground();
            timer = vertx.setPeriodic(interval, each -> runInBackground());
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void runInBackground() {
        vertx.executeBlocking(Uni.createFrom().item(() -> {
            try {
                Purged purged = VertxContextSupport.subscribeAndAwait(this::purge);
                if (purged.auditEvents() + purged.changeEvents() > 0) {
                    LOG.infof("Purged %d audit rows and %d change events older than %s", purged.auditEvents(),
                            purged.changeEvents(), config.audit().retention());
                }
            } catch (Throwable failure) {
                LOG.warnf("The audit retention purge failed and runs again in %s: %s",
                        config.audit().purgeInterval(), failure.toString());
            }
            return null;
        })).subscribe().with(ignored -> { }, failure -> { });
    }

    /** How many rows a purge removed. */
    public record Purged(long auditEvents, long changeEvents) {
    }

    /** Removes the audit rows and change events older than the retention, now. */
    public Uni<Purged> purge() {
        Instant cutoff = Instant.now().minus(config.audit().retention());
        return batches(() -> audit.purgeAuditBefore(cutoff), 0)
                .chain(auditRows -> batches(() -> audit.purgeChangeEventsBefore(cutoff), 0)
                        .map(events -> new Purged(auditRows, events)));
    }

    private Uni<Long> batches(java.util.function.Supplier<Uni<Integer>> batch, long sofar) {
        // until a batch finds nothing to delete: one that deleted fewer than it read may have met a row younger than
        // some behind it (its transaction began later but wrote earlier), and the next batch reaches past it
        return Panache.withTransaction(batch::get).chain(deleted -> deleted == 0
                ? Uni.createFrom().item(sofar) : batches(batch, sofar + deleted));
    }
}
