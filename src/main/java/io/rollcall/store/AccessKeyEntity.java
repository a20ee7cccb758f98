package io.rollcall.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A credential for machines (identity providers, scripts): its token is a JWT whose {@code sub} is {@link #id} and
 * whose {@code jti} is {@link #tokenId}. What it may do comes from its role bindings, read at request time.
 */
@Entity
@Table(name = "access_keys")
public class AccessKeyEntity {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public UUID orgId;

    @Column(nullable = false)
    public String name;

    @Column(name = "token_id", nullable = false, unique = true)
    public UUID tokenId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public static AccessKeyEntity create(UUID orgId, String name, Instant expiresAt) {
        AccessKeyEntity key = new AccessKeyEntity();
        key.id = UUID.randomUUID();
        key.orgId = orgId;
        key.name = name;
        key.tokenId = UUID.randomUUID();
        key.createdAt = Instant.now();
        key.expiresAt = expiresAt;
        return key;
    }
}
