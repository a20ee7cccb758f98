package io.rollcall.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.rollcall.config.RollcallConfig;
import io.rollcall.store.EventDeliveryRepository;
import io.rollcall.store.SchemaMigrations;
import io.rollcall.store.EventDeliveryRepository.ClaimedDelivery;
import io.rollcall.store.EventDeliveryRepository.Outcome;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Delivers change events to their subscriptions, on every instance: every {@code rollcall.events.poll-interval} (and
 * at once after a batch finishes) it claims due deliveries ({@link EventDeliveryRepository#claim}, {@code FOR UPDATE
 * SKIP LOCKED}: each delivery is sent by one instance), checks the destination again ({@link DestinationGuard}, off
 * the event loop) and POSTs the SET to the address it checked, then records how each attempt went. At least once: a
 * claim is a lease, so a delivery whose instance stopped before recording it is sent again, with the same {@code jti}.
 * A failed attempt is retried after an exponential backoff with jitter, and dead-lettered after
 * {@code rollcall.events.max-attempts}.
 * <p>
 * A receiver cannot slow SCIM requests: sending never holds a database connection (claims and records are single
 * statements, one at a time per instance), at most {@code max-concurrent-deliveries} are in flight, each within
 * {@code delivery-timeout} from resolution to the last byte of the answer, redirects are not followed, and names are
 * resolved on the worker's own threads.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final int MAX_ERROR_LENGTH = 500;
    private static final Duration QUIET_WARNINGS = Duration.ofSeconds(30);

    private final EventDeliveryRepository deliveries;
    private final SchemaMigrations migrations;
    private final DestinationGuard guard;
    private final SecurityEventTokens tokens;
    private final SubscriptionSecrets secrets;
    private final RollcallConfig.Events config;
    private final Vertx vertx;
    private final Counter delivered;
    private final Counter retried;
    private final Counter dead;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean pollAgain = new AtomicBoolean();
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private volatile boolean stopped = true;
    private volatile Instant lastWarning = Instant.EPOCH;
    private HttpClient client;
    private WorkerExecutor resolver;
    private long timer = -1;

    public DeliveryWorker(EventDeliveryRepository deliveries, SchemaMigrations migrations, DestinationGuard guard,
            SecurityEventTokens tokens, SubscriptionSecrets secrets, RollcallConfig config, Vertx vertx,
            MeterRegistry registry) {
        this.deliveries = deliveries;
        this.migrations = migrations;
        this.guard = guard;
        this.tokens = tokens;
        this.secrets = secrets;
        this.config = config.events();
        this.vertx = vertx;
        this.delivered = attempts(registry, "delivered");
        this.retried = attempts(registry, "retry");
        this.dead = attempts(registry, "dead");
    }

    /** {@code rollcall_event_deliveries_total}: attempts by outcome (delivered, failed to retry, dead-lettered). */
    private static Counter attempts(MeterRegistry registry, String outcome) {
        return Counter.builder("rollcall.event.deliveries").tag("outcome", outcome)
                .description("Attempts to deliver a change event, by outcome").register(registry);
    }

    void start(@Observes StartupEvent event) {
        int concurrency = Math.max(1, config.maxConcurrentDeliveries());
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setIdleTimeout((int) config.deliveryTimeout().toSeconds() + 1)
                .setKeepAlive(true)
                .setVerifyHost(true)
                .setTryUseCompression(false), new PoolOptions().setHttp1MaxSize(concurrency));
        resolver = vertx.createSharedWorkerExecutor("rollcall-event-destinations", Math.min(concurrency, 4),
                config.deliveryTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        stopped = false;
        timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> poll());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (client != null) {
            client.close();
        }
        if (resolver != null) {
            resolver.close();
        }
    }

    /** Records finished attempts, then claims as many due deliveries as there are free slots, and sends them. */
    private void poll() {
        // until the migrations have run (a server that started while its database was down waits for it) there is
        // nothing to deliver, and event_deliveries may not exist yet
        if (stopped || !migrations.applied()) {
            return;
        }
        if (!polling.compareAndSet(false, true)) {
            pollAgain.set(true);
            return;
        }
        pollAgain.set(false);
        List<Outcome> finished = new ArrayList<>();
        for (Outcome outcome; (outcome = outcomes.poll()) != null;) {
            finished.add(outcome);
        }
        int free = Math.max(0, config.maxConcurrentDeliveries() - inFlight.get());
        var recorded = finished.isEmpty() ? io.smallrye.mutiny.Uni.createFrom().voidItem() : deliveries.record(finished);
        recorded.chain(() -> free == 0 ? io.smallrye.mutiny.Uni.createFrom().item(List.<ClaimedDelivery>of())
                : deliveries.claim(free, leaseSeconds()))
                .subscribe().with(claimed -> {
                    inFlight.addAndGet(claimed.size());
                    polling.set(false);
                    claimed.forEach(this::send);
                    if (pollAgain.get() || (free > 0 && claimed.size() == free)) {
                        vertx.runOnContext(ignored -> poll());
                    }
                }, failure -> {
                    // the outcomes are lost with this statement: their leases run out and they are sent again
                    polling.set(false);
                    if (stopped) {
                        // the server is stopping and closed the pool under the poll: nothing is wrong
                        LOG.debugf("An event delivery poll ended with the server's shutdown: %s", describe(failure));
                    } else {
                        warn("Event delivery could not reach the database; retrying at the next poll", failure);
                    }
                });
    }

    private void send(ClaimedDelivery delivery) {
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long deadline = vertx.setTimer(config.deliveryTimeout().toMillis(), id -> {
            finish(delivery, done, null, "no complete answer within " + config.deliveryTimeout().toMillis() + " ms");
            HttpClientRequest late = sent.get();
            if (late != null) {
                late.reset(); // frees the connection rather than waiting for the idle timeout
            }
        });
        resolver.<Prepared>executeBlocking(() -> prepare(delivery), false).onComplete(prepared -> {
            if (prepared.failed()) {
                vertx.cancelTimer(deadline);
                finish(delivery, done, null, describe(prepared.cause()));
                return;
            }
            Prepared request = prepared.result();
            DestinationGuard.Destination destination = request.destination();
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setServer(SocketAddress.inetSocketAddress(destination.port(),
                            destination.address().getHostAddress()))
                    .setHost(destination.host())
                    .setPort(destination.port())
                    .setSsl(destination.tls())
                    .setURI(destination.pathAndQuery())
                    .setFollowRedirects(false)
                    .putHeader("Content-Type", SecurityEventTokens.MEDIA_TYPE)
                    .putHeader("Accept", "application/json");
            if (request.signature() != null) {
                options.putHeader(WebhookSignature.HEADER, request.signature());
            }
            client.request(options)
                    .compose(http -> {
                        sent.set(http);
                        return http.send(request.body());
                    })
                    .compose(response -> response.end().map(ignored -> response.statusCode()))
                    .onComplete(answer -> {
                        vertx.cancelTimer(deadline);
                        if (answer.failed()) {
                            finish(delivery, done, null, describe(answer.cause()));
                        } else if (answer.result() / 100 == 2) {
                            finish(delivery, done, answer.result(), null);
                        } else {
                            finish(delivery, done, answer.result(), "the receiver answered HTTP " + answer.result()
                                    + (answer.result() / 100 == 3 ? " (redirects are not followed)" : ""));
                        }
                    });
        });
    }

    /** What is sent: the destination checked now, after resolution, and the signed body. Blocks. */
    private Prepared prepare(ClaimedDelivery delivery) throws DestinationGuard.RefusedDestination {
        DestinationGuard.Destination destination;
        try {
            destination = guard.check(delivery.url());
        } catch (DestinationGuard.RefusedDestination refused) {
            throw new DestinationGuard.RefusedDestination("refused: " + refused.getMessage());
        }
        Instant now = Instant.now();
        var claims = tokens.claims(delivery, now);
        if (delivery.signing().equals("jwt")) {
            return new Prepared(destination, tokens.signed(claims), null);
        }
        String body = SecurityEventTokens.unsecured(claims);
        String secret = secrets.open(delivery.subscriptionId(), delivery.sealedSecret());
        return new Prepared(destination, body, WebhookSignature.header(secret, now.getEpochSecond(), body));
    }

    private record Prepared(DestinationGuard.Destination destination, String body, String signature) {
    }

    /** Queues the attempt's outcome once (the answer and the deadline race) and frees its slot. */
    private void finish(ClaimedDelivery delivery, AtomicBoolean done, Integer status, String error) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        Outcome outcome;
        if (error == null) {
            delivered.increment();
            outcome = new Outcome(delivery.id(), delivery.attempt(), "delivered", status, null, 0);
        } else if (delivery.attempt() >= config.maxAttempts()) {
            LOG.infof("Event %s to subscription %s is dead-lettered after %d attempts: %s", delivery.eventId(),
                    delivery.subscriptionId(), delivery.attempt(), error);
            dead.increment();
            outcome = new Outcome(delivery.id(), delivery.attempt(), "dead", status, truncated(error), 0);
        } else {
            LOG.debugf("Event %s to subscription %s, attempt %d failed: %s", delivery.eventId(),
                    delivery.subscriptionId(), delivery.attempt(), error);
            retried.increment();
            outcome = new Outcome(delivery.id(), delivery.attempt(), "pending", status, truncated(error),
                    backoffSeconds(delivery.attempt()));
        }
        outcomes.add(outcome);
        // record and claim in batches: at once when half the slots are free (or when this was the last in flight,
        // which a resource's next event may be waiting for), otherwise at the next poll
        if (inFlight.decrementAndGet() <= config.maxConcurrentDeliveries() / 2) {
            vertx.runOnContext(ignored -> poll());
        }
    }

    /** Base × 2^(attempt − 1), at most the maximum, then a random part of it (50–100 %) so retries spread out. */
    double backoffSeconds(int attempt) {
        double base = config.retryBase().toMillis() / 1000.0;
        double max = config.retryMax().toMillis() / 1000.0;
        double delay = Math.min(max, base * Math.pow(2, Math.min(attempt - 1, 30)));
        return delay * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5);
    }

    private double leaseSeconds() {
        return config.deliveryTimeout().toMillis() * 2 / 1000.0 + 5;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private static String truncated(String error) {
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH) + "…";
    }

    private void warn(String message, Throwable failure) {
        Instant now = Instant.now();
        if (now.isAfter(lastWarning.plus(QUIET_WARNINGS))) {
            lastWarning = now;
            LOG.warn(message + ": " + describe(failure));
        }
    }
}

