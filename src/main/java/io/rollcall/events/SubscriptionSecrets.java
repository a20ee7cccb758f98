package io.rollcall.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import io.rollcall.token.SigningKeys;

/**
 * The HMAC secrets of webhook subscriptions. Rollcall must read a secret again to sign each delivery, so it cannot keep
 * only a hash as it does for client secrets: it keeps the secret AES-256-GCM sealed (random 96-bit nonce, the
 * subscription id as associated data, so a sealed secret copied to another row does not open) under a key derived
 * from the token signing key, which every instance shares. A database dump alone does not reveal the secrets.
 */
@ApplicationScoped
public class SubscriptionSecrets {

    /** What a generated secret starts with, so that it is recognisable in a receiver's configuration or a leak scan. */
    public static final String PREFIX = "rwhs_";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SubscriptionSecrets(SigningKeys keys) {
        this.key = new SecretKeySpec(keys.derivedSecret("rollcall event subscription secret v1"), "AES");
    }

    /** A new secret: 256 random bits, base64url, after {@link #PREFIX}. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public byte[] seal(UUID subscriptionId, String secret) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, subscriptionId, nonce)
                    .doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a subscription secret", e);
        }
    }

    /** The secret; fails if it was sealed for another subscription or under another signing key. */
    public String open(UUID subscriptionId, byte[] sealed) {
        try {
            byte[] plain = cipher(Cipher.DECRYPT_MODE, subscriptionId, Arrays.copyOfRange(sealed, 0, NONCE))
                    .doFinal(sealed, NONCE, sealed.length - NONCE);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The secret of subscription " + subscriptionId + " does not open with this "
                    + "server's key (was the token signing key replaced?)", e);
        }
    }

    private Cipher cipher(int mode, UUID subscriptionId, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(subscriptionId.toString().getBytes(StandardCharsets.US_ASCII));
        return cipher;
    }
}
