package io.rollcall.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rollcall.access.Principal;
import io.rollcall.auth.TokenVerifier.VerifiedToken;
import io.rollcall.config.RollcallConfig;
import io.rollcall.service.AccessKeyService;
import io.rollcall.service.AccessKeyService.AccessKeyRevoked;
import io.smallrye.mutiny.Uni;

/**
 * Turns a verified token into the {@link Principal} its access key currently is, asking the store at most once per
 * {@code rollcall.auth.cache-ttl} (default 5 s) per token, so a revoked key or a removed role stops working on every
 * instance within that time (at once on the instance that revoked it).
 */
@ApplicationScoped
public class CallerResolver {

    private static final int MAX_ENTRIES = 10_000;

    private record Entry(Principal principal, long loadedAtNanos) {
    }

    private final AccessKeyService accessKeys;
    private final long ttlNanos;
    private final ConcurrentHashMap<UUID, Entry> byTokenId = new ConcurrentHashMap<>();

    public CallerResolver(AccessKeyService accessKeys, RollcallConfig config) {
        this.accessKeys = accessKeys;
        this.ttlNanos = nonNegative(config.auth().cacheTtl()).toNanos();
    }

    /** Empty when the key is unknown, revoked, expired, or the token is no longer the key's. */
    public Uni<Optional<Principal>> resolve(VerifiedToken token) {
        Entry cached = byTokenId.get(token.tokenId());
        long now = System.nanoTime();
        if (cached != null && now - cached.loadedAtNanos() < ttlNanos) {
            return Uni.createFrom().item(Optional.of(cached.principal()));
        }
        return accessKeys.authenticate(token.orgId(), token.accessKeyId(), token.tokenId()).invoke(found -> {
            if (found.isPresent()) {
                if (byTokenId.size() >= MAX_ENTRIES) {
                    byTokenId.clear();
                }
                byTokenId.put(token.tokenId(), new Entry(found.get(), System.nanoTime()));
            } else {
                byTokenId.remove(token.tokenId());
            }
        });
    }

    void forget(@Observes AccessKeyRevoked revoked) {
        byTokenId.values().removeIf(entry -> entry.principal().id().equals(revoked.accessKeyId()));
    }

    private static Duration nonNegative(Duration ttl) {
        return ttl.isNegative() ? Duration.ZERO : ttl;
    }
}
