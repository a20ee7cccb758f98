package io.rollcall.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rollcall.access.Principal;
import io.rollcall.auth.TokenVerifier.VerifiedToken;
import io.rollcall.config.RollcallConfig;
import io.rollcall.service.AccessKeyService;
import io.rollcall.service.AccessKeyService.AccessKeyRevoked;
import io.rollcall.service.ClientCredentialsService.SecretRevoked;
import io.rollcall.service.OrganizationService.OrganizationClosed;
import io.smallrye.mutiny.Uni;

/**
 * Turns a verified token into the {@link Principal} its access key currently is, asking the store at most once per
 * {@code rollcall.auth.cache-ttl} (default 5 s) per token, so a revoked key or a removed role stops working on every
 * instance within that time plus one lookup (at once on the instance that revoked it).
 * <p>
 * When an entry expires, one request reloads it while the token's other requests go on with the expired entry: an
 * IdP sends many requests in parallel with one token, and all of them reloading at once would queue on the key's row.
 */
@ApplicationScoped
public class CallerResolver {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Principal principal, long loadedAtNanos, AtomicBoolean reloading) {

        Entry(Principal principal, long loadedAtNanos) {
            this(principal, loadedAtNanos, new AtomicBoolean());
        }

        long ageNanos() {
            return System.nanoTime() - loadedAtNanos;
        }
    }

    private final AccessKeyService accessKeys;
    private final long ttlNanos;
    private final ConcurrentHashMap<VerifiedToken, Entry> byToken = new ConcurrentHashMap<>();
    /** Keys revoked on this instance within the last TTL: a load that raced the revocation must not cache them again. */
    private final ConcurrentHashMap<UUID, Long> recentlyRevoked = new ConcurrentHashMap<>();

    public CallerResolver(AccessKeyService accessKeys, RollcallConfig config) {
        this.accessKeys = accessKeys;
        this.ttlNanos = nonNegative(config.auth().cacheTtl()).toNanos();
    }

    /**
     * Empty when the key is unknown, revoked, expired, or the token is no longer the key's. The cache is keyed by the
     * token's whole identity (organization, key, token id), and never outlives the token's expiry.
     */
    public Uni<Optional<Principal>> resolve(VerifiedToken token) {
        if (!Instant.now().isBefore(token.expiresAt()) || revokedRecently(token.accessKeyId())) {
            byToken.remove(token);
            return Uni.createFrom().item(Optional.empty());
        }
        Entry cached = byToken.get(token);
        if (cached != null && (cached.ageNanos() < ttlNanos
                // another request is reloading it: the expired entry serves for at most one more TTL
                || (cached.ageNanos() < 2 * ttlNanos && !cached.reloading().compareAndSet(false, true)))) {
            return Uni.createFrom().item(Optional.of(cached.principal()));
        }
        return load(token).onFailure().invoke(() -> {
            if (cached != null) {
                cached.reloading().set(false);
            }
        });
    }

    private Uni<Optional<Principal>> load(VerifiedToken token) {
        return accessKeys.authenticate(token.orgId(), token.accessKeyId(), token.tokenId()).map(found -> {
            if (found.isEmpty() || revokedRecently(token.accessKeyId())) {
                byToken.remove(token);
                return Optional.<Principal>empty();
            }
            if (byToken.size() >= MAX_ENTRIES) {
                byToken.clear();
            }
            byToken.put(token, new Entry(found.get(), System.nanoTime()));
            return found;
        });
    }

    /** Called once a revocation has committed. */
    void forget(@Observes AccessKeyRevoked revoked) {
        recentlyRevoked.put(revoked.accessKeyId(), System.nanoTime());
        byToken.keySet().removeIf(token -> token.accessKeyId().equals(revoked.accessKeyId()));
        recentlyRevoked.values().removeIf(at -> System.nanoTime() - at > Math.max(ttlNanos, 1));
    }

    /** Called once a suspension or deletion has committed: the organization's tokens stop here at once. */
    void forget(@Observes OrganizationClosed closed) {
        byToken.keySet().removeIf(token -> token.orgId().equals(closed.orgId()));
    }

    /** Called once a client secret's revocation has committed: the tokens issued for it stop here at once. */
    void forget(@Observes SecretRevoked revoked) {
        byToken.keySet().removeIf(token -> token.tokenId().equals(revoked.secretId()));
    }

    private boolean revokedRecently(UUID accessKeyId) {
        Long at = recentlyRevoked.get(accessKeyId);
        return at != null && System.nanoTime() - at <= Math.max(ttlNanos, 1);
    }

    private static Duration nonNegative(Duration ttl) {
        return ttl.isNegative() ? Duration.ZERO : ttl;
    }
}
