package io.rollcall.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class AccessKeyRepository implements PanacheRepositoryBase<AccessKeyEntity, UUID> {

    static final Duration USE_RECORDED_EVERY = Duration.ofMinutes(1);

    private static final String ACTIVE = "revokedAt is null and (expiresAt is null or expiresAt > ?2)";

    /** Keys that are neither revoked nor expired, oldest first. */
    public Uni<List<AccessKeyEntity>> listActive(UUID orgId) {
        return find("orgId = ?1 and " + ACTIVE + " order by createdAt, id", orgId, Instant.now()).list();
    }

    /** The key if it belongs to the organization and is neither revoked nor expired; else null. */
    public Uni<AccessKeyEntity> findActive(UUID orgId, UUID id) {
        return find("orgId = ?1 and " + ACTIVE + " and id = ?3", orgId, Instant.now(), id).firstResult();
    }

    /** The key a token names, if that token is still the key's and the key is active; else null. */
    public Uni<AccessKeyEntity> findActiveByToken(UUID orgId, UUID id, UUID tokenId) {
        return find("orgId = ?1 and " + ACTIVE + " and id = ?3 and tokenId = ?4", orgId, Instant.now(), id, tokenId)
                .firstResult();
    }

    /**
     * Records a use at most once a minute per key: a busy key would otherwise queue every authentication behind the
     * row lock of the previous one.
     */
    public Uni<Integer> recordUse(UUID id, Instant when) {
        return update("lastUsedAt = ?1 where id = ?2 and (lastUsedAt is null or lastUsedAt < ?3)", when, id,
                when.minus(USE_RECORDED_EVERY));
    }
}
