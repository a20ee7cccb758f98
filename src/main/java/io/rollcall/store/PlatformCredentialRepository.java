package io.rollcall.store;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Secrets that act above every organization (the platform operator's token), kept as hashes shared by every instance
 * on the database. Writes run in the caller's transaction.
 */
@ApplicationScoped
public class PlatformCredentialRepository {

    public Uni<Optional<String>> hashOf(String name) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "SELECT secret_hash FROM platform_credentials WHERE name = :name", String.class)
                .setParameter("name", name).getResultList())
                .map(rows -> rows.stream().findFirst());
    }

    /** Stores the hash unless one is there already; whether it was stored. */
    public Uni<Boolean> insertIfAbsent(String name, String hash) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO platform_credentials (name, secret_hash) VALUES (:name, :hash) ON CONFLICT (name) DO NOTHING
                """).setParameter("name", name).setParameter("hash", hash).executeUpdate())
                .map(rows -> rows > 0);
    }

    /** Stores the hash, replacing any other. */
    public Uni<Void> replace(String name, String hash) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO platform_credentials (name, secret_hash) VALUES (:name, :hash)
                ON CONFLICT (name) DO UPDATE SET secret_hash = EXCLUDED.secret_hash
                """).setParameter("name", name).setParameter("hash", hash).executeUpdate())
                .replaceWithVoid();
    }
}
