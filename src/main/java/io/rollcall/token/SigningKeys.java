package io.rollcall.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.Startup;

import org.jboss.logging.Logger;

import io.rollcall.config.RollcallConfig;
import io.smallrye.jwt.util.KeyUtils;

/**
 * The RSA key pair that signs every token. Configured PEM files win ({@code rollcall.tokens.private-key-file} and
 * {@code public-key-file}); otherwise a pair is generated on first start into {@code <data-dir>/keys/} (private key mode
 * 600) and reused afterwards. The key id is the public key's RFC 7638 thumbprint, so it changes exactly when the key does.
 * <p>
 * Loaded first thing at start, on the main thread: generating a key takes a second or two, which on the event loop
 * (where the first token issued would otherwise load it) blocks every request and logs a blocked-thread warning.
 */
@ApplicationScoped
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final int RSA_BITS = 2048;

    private final RollcallConfig config;
    private PrivateKey privateKey;
    private RSAPublicKey publicKey;
    private String keyId;

    public SigningKeys(RollcallConfig config) {
        this.config = config;
    }

    @PostConstruct
    void load() {
        Optional<Path> privateFile = config.tokens().privateKeyFile();
        Optional<Path> publicFile = config.tokens().publicKeyFile();
        if (privateFile.isPresent() != publicFile.isPresent()) {
            throw new IllegalStateException("Set both rollcall.tokens.private-key-file and rollcall.tokens.public-key-file, or neither");
        }
        try {
            if (privateFile.isPresent()) {
                read(privateFile.get(), publicFile.get());
                LOG.infof("Signing tokens with the configured key %s", privateFile.get());
            } else {
                Path directory = config.dataDir().resolve("keys");
                Path privatePem = directory.resolve("signing-key.pem");
                Path publicPem = directory.resolve("signing-key.pub.pem");
                if (!Files.exists(privatePem)) {
                    generate(privatePem, publicPem);
                    LOG.infof("Generated a token signing key in %s", directory.toAbsolutePath());
                }
                read(privatePem, publicPem);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the token signing keys", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The token signing keys are not a valid RSA key pair in PEM form", e);
        }
        keyId = thumbprint(publicKey);
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    /**
     * A 256-bit secret for another purpose, derived from the private key (HMAC-SHA256 keyed with the key's PKCS#8
     * encoding, over the purpose's name): the same on every instance that shares the signing key, as instances must
     * for tokens, and never the key itself. It changes when the signing key does.
     */
    public byte[] derivedSecret(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(privateKey.getEncoded(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void read(Path privatePem, Path publicPem) throws IOException, GeneralSecurityException {
        privateKey = KeyUtils.decodePrivateKey(Files.readString(privatePem));
        if (!(KeyUtils.decodePublicKey(Files.readString(publicPem)) instanceof RSAPublicKey rsa)) {
            throw new GeneralSecurityException(publicPem + " is not an RSA public key");
        }
        publicKey = rsa;
    }

    private static void generate(Path privatePem, Path publicPem) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(RSA_BITS);
        KeyPair pair = generator.generateKeyPair();
        Files.createDirectories(privatePem.getParent());
        SecretFiles.writeOwnerOnly(privatePem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** RFC 7638 JWK thumbprint: SHA-256 over the required members in lexicographic order, base64url. */
    static String thumbprint(RSAPublicKey key) {
        String jwk = "{\"e\":\"" + base64Url(key.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\""
                + base64Url(key.getModulus()) + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jwk.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Unsigned big-endian bytes, base64url without padding (RFC 7518 §6.3.1). */
    public static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
