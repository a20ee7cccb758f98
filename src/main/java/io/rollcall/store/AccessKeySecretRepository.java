package io.rollcall.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * An access key's client secrets (OAuth 2.0 client credentials), kept as SHA-256 hashes. Writes run in the caller's
 * transaction; every statement is scoped by organization.
 */
@ApplicationScoped
public class AccessKeySecretRepository {

    /** A secret as administrators see it: never the secret itself. */
    public record SecretRow(UUID id, UUID accessKeyId, Instant createdAt, Instant lastUsedAt) {
    }

    /** What a client authentication checks: a live secret of a live key of an active organization. */
    public record Candidate(UUID secretId, UUID orgId, String secretHash) {
    }

    private static final String COLUMNS = "SELECT CAST(id AS text), CAST(access_key_id AS text), created_at, last_used_at";

    public Uni<Void> insert(UUID orgId, UUID accessKeyId, UUID id, String secretHash, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO access_key_secrets (id, org_id, access_key_id, secret_hash, created_at)
                VALUES (:id, :org, :key, :hash, :now)
                """).setParameter("id", id).setParameter("org", orgId).setParameter("key", accessKeyId)
                .setParameter("hash", secretHash).setParameter("now", now).executeUpdate())
                .replaceWithVoid();
    }

    public Uni<List<SecretRow>> listActive(UUID orgId, UUID accessKeyId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(COLUMNS + """
                 FROM access_key_secrets WHERE org_id = :org AND access_key_id = :key AND revoked_at IS NULL
                 ORDER BY created_at, id
                """, Object[].class).setParameter("org", orgId).setParameter("key", accessKeyId).getResultList())
                .map(rows -> rows.stream().map(AccessKeySecretRepository::toRow).toList());
    }

    /** Revokes the secret; whether there was such a live secret. */
    public Uni<Boolean> revoke(UUID orgId, UUID accessKeyId, UUID id, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                UPDATE access_key_secrets SET revoked_at = :now
                 WHERE org_id = :org AND access_key_id = :key AND id = :id AND revoked_at IS NULL
                """).setParameter("now", now).setParameter("org", orgId).setParameter("key", accessKeyId)
                .setParameter("id", id).executeUpdate())
                .map(rows -> rows > 0);
    }

    /** The live secrets a client id (an access key id) may authenticate with, across organizations. */
    public Uni<List<Candidate>> candidates(UUID accessKeyId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT CAST(s.id AS text), CAST(s.org_id AS text), s.secret_hash
                  FROM access_key_secrets s
                  JOIN access_keys k ON k.id = s.access_key_id AND k.org_id = s.org_id
                  JOIN organizations o ON o.id = s.org_id
                 WHERE s.access_key_id = :key AND s.revoked_at IS NULL
                   AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
                   AND o.suspended_at IS NULL
                """, Object[].class).setParameter("key", accessKeyId).getResultList())
                .map(rows -> rows.stream().map(row -> new Candidate(UUID.fromString((String) row[0]),
                        UUID.fromString((String) row[1]), (String) row[2])).toList());
    }

    /** Whether the token id names a live secret of the key: the token was issued for it. */
    public Uni<Boolean> isLive(UUID orgId, UUID accessKeyId, UUID id) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT CAST(id AS text) FROM access_key_secrets
                 WHERE org_id = :org AND access_key_id = :key AND id = :id AND revoked_at IS NULL
                """, String.class).setParameter("org", orgId).setParameter("key", accessKeyId).setParameter("id", id)
                .getResultList())
                .map(rows -> !rows.isEmpty());
    }

    public Uni<Void> recordUse(UUID id, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "UPDATE access_key_secrets SET last_used_at = :now WHERE id = :id")
                .setParameter("now", now).setParameter("id", id).executeUpdate())
                .replaceWithVoid();
    }

    private static SecretRow toRow(Object[] row) {
        return new SecretRow(UUID.fromString((String) row[0]), UUID.fromString((String) row[1]), instant(row[2]),
                instant(row[3]));
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }
}
