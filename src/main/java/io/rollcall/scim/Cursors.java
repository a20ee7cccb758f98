package io.rollcall.scim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;

import io.rollcall.config.RollcallConfig;
import io.rollcall.observability.RequestMetrics;
import io.rollcall.resource.KeysetPage;
import io.rollcall.resource.KeysetPosition;
import io.rollcall.resource.Paging;
import io.rollcall.token.SigningKeys;

/**
 * RFC 9865 cursors (cursor-based pagination of SCIM resources): the {@code cursor} a list or {@code .search} request
 * sends, and the {@code nextCursor} and {@code previousCursor} its answer carries. A cursor holds a keyset position and
 * a direction: a {@code nextCursor} the sort-key value and id of the last resource the page showed, so the next page is
 * the rows after it; a {@code previousCursor} those of the first resource the page showed, so the previous page is the
 * rows before it (RFC 9865 §2: never on the first page). Either is read by index at any depth; nothing is kept on the
 * server, and any instance can continue any cursor.
 * <p>
 * Wire form: base64url (no padding, so only RFC 3986 unreserved characters, §2) of {@code 0x01 ‖ salt(16) ‖
 * AES-256-GCM(payload)}. The payload is a small JSON object: organization, a hash of the query (resource type, filter,
 * {@code sortBy}, {@code sortOrder}), {@code count}, the position, {@code "b": true} for a previous cursor (going
 * back), and the expiry. Encryption makes the cursor opaque (§5.2: clients should neither read nor forge cursors) and
 * its tag signs it; each cursor is encrypted under its own key, HMAC-SHA256(secret, salt), so that the fixed GCM nonce
 * never repeats under a key. The secret is derived from the token signing key ({@link SigningKeys#derivedSecret}), which
 * every instance shares.
 * <p>
 * Refusals (§2.1): a cursor that does not decrypt, is not of the caller's organization or names another query is 400
 * {@code invalidCursor} (the first two with the same detail, §5.2: a foreign cursor reveals nothing); a {@code count}
 * other than the first request's is 400 {@code invalidCount}; a cursor older than {@code rollcall.scim.cursor-timeout}
 * is 400 {@code expiredCursor}; previous and next cursors alike.
 */
@ApplicationScoped
public class Cursors {

    private static final byte VERSION = 1;
    private static final int SALT = 16;
    private static final int TAG_BITS = 128;
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NOT_OURS = "The cursor is not one this server gave for this organization; start again "
            + "with an empty cursor (RFC 9865 §2)";

    private final byte[] secret;
    private final RollcallConfig config;
    private final RequestMetrics metrics;

    public Cursors(SigningKeys keys, RollcallConfig config, RequestMetrics metrics) {
        this.secret = keys.derivedSecret("rollcall scim cursor v1");
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * The page a list or {@code .search} request asks for: by index without {@code cursor}, else the first page
     * (empty cursor), the one after the cursor's position ({@code nextCursor}) or the one before it
     * ({@code previousCursor}).
     *
     * @param resourceType the endpoint's resource type ({@code User}, {@code Group}, {@code Role}; {@code *} for the
     *                     root {@code .search}): a cursor of one endpoint is refused by another
     */
    Paging paging(ListQuery query, UUID orgId, String resourceType) throws BadRequestException {
        if (query.cursor() == null) {
            return new Paging.Index(query.offset(), query.count());
        }
        metrics.cursorPage(resourceType.equals("*") ? "Root" : resourceType);
        if (query.cursor().isEmpty()) {
            return Paging.Keyset.first(query.count());
        }
        JsonNode payload = open(query.cursor());
        if (!orgId.toString().equals(payload.path("o").asText())) {
            throw BadRequestException.invalidCursor(NOT_OURS);
        }
        if (!queryHash(query, resourceType).equals(payload.path("q").asText())) {
            throw BadRequestException.invalidCursor("The cursor belongs to another query: send the filter, sortBy and "
                    + "sortOrder of the request that gave it, at the same endpoint (RFC 9865 §2)");
        }
        if (payload.path("c").asInt(-1) != query.count()) {
            throw BadRequestException.invalidCount("'count' must stay " + payload.path("c").asInt() + " while paging "
                    + "with this cursor, as in the request that started it (RFC 9865 §2.1)");
        }
        if (Instant.now().getEpochSecond() > payload.path("x").asLong()) {
            throw BadRequestException.expiredCursor("The cursor has expired: pages must be asked for within "
                    + config.scim().cursorTimeout().toSeconds() + " seconds of each other (cursorTimeout); start "
                    + "again with an empty cursor");
        }
        UUID id;
        try {
            id = payload.hasNonNull("i") ? UUID.fromString(payload.get("i").asText()) : null;
        } catch (IllegalArgumentException e) {
            throw BadRequestException.invalidCursor(NOT_OURS);
        }
        KeysetPosition position = id == null ? null
                : new KeysetPosition(payload.hasNonNull("k") ? payload.get("k").asText() : null, id);
        if (payload.path("b").asBoolean(false)) {
            if (position == null) {
                throw BadRequestException.invalidCursor(NOT_OURS);
            }
            return Paging.Keyset.before(position, query.count());
        }
        return Paging.Keyset.after(position, query.count());
    }

    /**
     * The {@code nextCursor} of a page that showed its first {@code shown} resources: after the last of them, or null
     * when none follow (RFC 9865 §2: omitted only on the last page; a page reached by going back always has one). A
     * page that showed none of the resources it chose (deleted meanwhile) gives the request's own cursor again going
     * forward, and the page after the last one it chose going back; going back to find nothing left before the position
     * (all deleted meanwhile) gives the first page's. Null for index pages and {@code count=0}: with the count fixed at
     * 0 no page holds a resource, so there is nothing further to ask for.
     */
    String next(ListQuery query, UUID orgId, String resourceType, Paging paging, KeysetPage page, int shown) {
        if (!(paging instanceof Paging.Keyset request) || page == null || request.count() == 0) {
            return null;
        }
        List<KeysetPosition> positions = page.positions();
        if (shown > 0) {
            boolean more = shown < positions.size() || page.more();
            return more ? seal(query, orgId, resourceType,
                    Paging.Keyset.after(positions.get(shown - 1), request.count()), expiry()) : null;
        }
        if (positions.isEmpty()) {
            return request.backward() ? seal(query, orgId, resourceType, Paging.Keyset.first(request.count()), expiry())
                    : null;
        }
        // none shown of those chosen (deleted meanwhile): going forward, the request's own page again; going back, the
        // rows after the last chosen one, which lead forward to the page the client came from
        return seal(query, orgId, resourceType, request.backward()
                ? Paging.Keyset.after(positions.get(positions.size() - 1), request.count()) : request, expiry());
    }

    /**
     * The {@code previousCursor} of a page: before the first resource the store chose for it, or null on the first
     * page (RFC 9865 §2: never returned with it), whether reached by an empty cursor or by going back. Null also for
     * index pages, {@code count=0}, and a page that chose no resource (only when those after the position were all
     * deleted meanwhile: there is no resource to go back from; an empty cursor starts again).
     */
    String previous(ListQuery query, UUID orgId, String resourceType, Paging paging, KeysetPage page) {
        if (!(paging instanceof Paging.Keyset request) || page == null || request.count() == 0 || !page.previous()
                || page.positions().isEmpty()) {
            return null;
        }
        return seal(query, orgId, resourceType, Paging.Keyset.before(page.positions().get(0), request.count()),
                expiry());
    }

    private Instant expiry() {
        return Instant.now().plus(config.scim().cursorTimeout());
    }

    /**
     * A cursor asking for {@code page} (its position and direction; the count is the query's), valid until
     * {@code expires}.
     */
    String seal(ListQuery query, UUID orgId, String resourceType, Paging.Keyset page, Instant expires) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("o", orgId.toString());
        payload.put("q", queryHash(query, resourceType));
        payload.put("c", query.count());
        KeysetPosition position = page.position();
        if (position != null) {
            payload.put("i", position.id().toString());
            if (position.sortKey() != null) {
                payload.put("k", position.sortKey());
            }
        }
        if (page.backward()) {
            payload.put("b", true);
        }
        payload.put("x", expires.getEpochSecond());
        try {
            byte[] salt = new byte[SALT];
            RANDOM.nextBytes(salt);
            byte[] sealed = cipher(Cipher.ENCRYPT_MODE, salt).doFinal(JSON.writeValueAsBytes(payload));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(1 + SALT + sealed.length)
                    .put(VERSION).put(salt).put(sealed).array());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a cursor", e);
        }
    }

    /** The payload of a cursor this server sealed; anything else is {@code invalidCursor}. */
    private JsonNode open(String cursor) throws BadRequestException {
        if (!BASE64URL.matcher(cursor).matches()) {
            throw BadRequestException.invalidCursor(NOT_OURS);
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw BadRequestException.invalidCursor(NOT_OURS);
        }
        if (bytes.length < 1 + SALT + TAG_BITS / 8 || bytes[0] != VERSION) {
            throw BadRequestException.invalidCursor(NOT_OURS);
        }
        try {
            byte[] plain = cipher(Cipher.DECRYPT_MODE, Arrays.copyOfRange(bytes, 1, 1 + SALT))
                    .doFinal(bytes, 1 + SALT, bytes.length - 1 - SALT);
            JsonNode payload = JSON.readTree(plain);
            if (payload == null || !payload.isObject()) {
                throw BadRequestException.invalidCursor(NOT_OURS);
            }
            return payload;
        } catch (AEADBadTagException e) {
            throw BadRequestException.invalidCursor(NOT_OURS);
        } catch (IOException e) {
            throw BadRequestException.invalidCursor(NOT_OURS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot open a cursor", e);
        }
    }

    /** AES-256-GCM under the cursor's own key, HMAC-SHA256(secret, salt), with a fixed nonce (one use per key). */
    private Cipher cipher(int mode, byte[] salt) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(mac.doFinal(salt), "AES"), new GCMParameterSpec(TAG_BITS, new byte[12]));
        cipher.updateAAD(new byte[] { VERSION });
        return cipher;
    }

    /**
     * What a cursor is bound to besides the organization: the rows and their order, i.e. the resource type, the filter
     * (as parsed, so spacing and case of operators do not matter), {@code sortBy} and {@code sortOrder} (which means
     * nothing without {@code sortBy}). Projection is not part of it: it changes what is shown, not which rows.
     */
    private static String queryHash(ListQuery query, String resourceType) {
        String bound = resourceType + "\n" + (query.filter() == null ? "" : query.filter().toString()) + "\n"
                + (query.sortBy() == null ? "" : query.sortBy().toString().toLowerCase(Locale.ROOT)) + "\n"
                + (query.sortBy() != null && query.descending());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bound.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
