package io.rollcall.admin;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.rollcall.service.ScimFailure;
import io.rollcall.token.SigningKeys;

/**
 * The audit log's page cursors: the position after which the next page starts (the last row's place in the log),
 * bound to the organization and to the filters of the request that gave it, and signed (HMAC-SHA256 under a secret
 * derived from the token signing key, which every instance shares, as {@code scim.Cursors} derives its own), so that a
 * client can neither forge a position nor carry a cursor to another organization or query. The position is a row
 * number the client could learn nothing from but the log's volume; the cursor never expires, as the position stays
 * meaningful while rows are purged.
 * <p>
 * Wire form: base64url (no padding) of {@code position(8) ‖ SHA-256(organization ‖ filters)(32) ‖ HMAC(first 40)(32)}.
 */
@ApplicationScoped
public class AuditCursors {

    private static final int POSITION = 8;
    private static final int HASH = 32;
    private static final int MAC = 32;
    private static final String NOT_OURS = "'cursor' is not one this server gave for this organization and these "
            + "filters; send the filters of the request that gave it, or start again without a cursor";

    private final byte[] secret;

    public AuditCursors(SigningKeys keys) {
        this.secret = keys.derivedSecret("rollcall audit cursor v1");
    }

    /** The cursor of the page after the row at {@code position}. */
    String seal(long position, UUID orgId, String filters) {
        ByteBuffer body = ByteBuffer.allocate(POSITION + HASH + MAC);
        body.putLong(position).put(hash(orgId, filters));
        body.put(mac(body.array(), POSITION + HASH));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(body.array());
    }

    /** The position a cursor holds; 400 when it is not one of ours for this organization and filters. */
    long open(String cursor, UUID orgId, String filters) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw refused();
        }
        if (bytes.length != POSITION + HASH + MAC) {
            throw refused();
        }
        byte[] expectedMac = mac(bytes, POSITION + HASH);
        byte[] givenMac = java.util.Arrays.copyOfRange(bytes, POSITION + HASH, bytes.length);
        byte[] givenHash = java.util.Arrays.copyOfRange(bytes, POSITION, POSITION + HASH);
        if (!MessageDigest.isEqual(expectedMac, givenMac) || !MessageDigest.isEqual(givenHash, hash(orgId, filters))) {
            throw refused();
        }
        return ByteBuffer.wrap(bytes, 0, POSITION).getLong();
    }

    private static ScimFailure refused() {
        return ScimFailure.of(BadRequestException.invalidValue(NOT_OURS));
    }

    private static byte[] hash(UUID orgId, String filters) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((orgId + "\n" + filters).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] mac(byte[] bytes, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(bytes, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
