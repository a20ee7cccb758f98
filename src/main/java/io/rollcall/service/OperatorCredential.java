package io.rollcall.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.rollcall.token.SecretFiles;
import io.rollcall.config.RollcallConfig;
import io.rollcall.store.PlatformCredentialRepository;
import io.smallrye.mutiny.Uni;

/**
 * The platform operator's token: a random secret, not a signed token, since it belongs to no organization. The store
 * keeps its SHA-256 hash, shared by every instance; {@code rollcall.operator.token-file} (a mounted secret) sets it, or
 * else the first start generates one into {@code <data-dir>/operator.token} (mode 600). Requests are checked against
 * the hash in memory, in constant time.
 */
@ApplicationScoped
public class OperatorCredential {

    private static final Logger LOG = Logger.getLogger(OperatorCredential.class);
    private static final String NAME = "operator";
    private static final String PREFIX = "rco_";

    private final RollcallConfig config;
    private final PlatformCredentialRepository credentials;
    private volatile byte[] hash;

    public OperatorCredential(RollcallConfig config, PlatformCredentialRepository credentials) {
        this.config = config;
        this.credentials = credentials;
    }

    /** Whether the bearer token is the operator's. */
    public boolean matches(String token) {
        byte[] expected = hash;
        return expected != null && token != null && token.startsWith(PREFIX)
                && MessageDigest.isEqual(expected, RandomSecrets.sha256(token));
    }

    /** Run at start in the bootstrap transaction (serialised across instances). */
    Uni<Void> ensure() {
        if (config.operator().tokenFile().isPresent()) {
            String token = read(config.operator().tokenFile().get());
            return credentials.replace(NAME, RandomSecrets.sha256Hex(token))
                    .invoke(() -> hash = RandomSecrets.sha256(token));
        }
        String generated = RandomSecrets.generate(PREFIX);
        return credentials.insertIfAbsent(NAME, RandomSecrets.sha256Hex(generated)).invoke(inserted -> {
            if (inserted) {
                Path file = config.dataDir().resolve("operator.token").toAbsolutePath();
                try {
                    SecretFiles.writeOwnerOnly(file, generated + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot write the operator token to " + file, e);
                }
                LOG.infof("Generated the platform operator's token into %s (mode 600)", file);
            }
        }).chain(() -> credentials.hashOf(NAME)).invoke(stored -> hash = HexFormat.of().parseHex(stored.orElseThrow()))
                .replaceWithVoid();
    }

    private static String read(Path file) {
        try {
            String token = Files.readString(file).trim();
            if (!token.startsWith(PREFIX) || token.length() < PREFIX.length() + 32) {
                throw new IllegalStateException("rollcall.operator.token-file " + file + " must hold a token of the "
                        + "form " + PREFIX + "<at least 32 random characters>, such as one generated with: echo "
                        + PREFIX + "$(openssl rand -hex 32)");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read rollcall.operator.token-file " + file, e);
        }
    }
}
