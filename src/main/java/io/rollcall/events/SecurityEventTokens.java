package io.rollcall.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

import io.rollcall.config.RollcallConfig;
import io.rollcall.store.EventDeliveryRepository.ClaimedDelivery;
import io.rollcall.token.SigningKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Security Event Tokens (RFC 8417) for change events, following the SCIM profile (RFC 9967, draft-ietf-scim-events):
 * <pre>
 * {"iss": "rollcall", "iat": 1765100000, "jti": "&lt;event id&gt;", "aud": "&lt;subscription URL&gt;",
 *  "sub_id": {"format": "scim", "uri": "/Users/&lt;id&gt;"}, "toe": 1765099999, "txn": "&lt;request id&gt;",
 *  "events": {"urn:ietf:params:scim:event:prov:deactivate": {}}}
 * </pre>
 * {@code jti} is the event's id, the same in every attempt, so a receiver drops repeats by it. Rollcall's event types
 * map to the profile's URIs; membership and role changes, which the profile has no event for, carry a
 * {@code prov:patch:notice} naming the attribute and a Rollcall event with the details (RFC 8417 §2.2 lets one SET
 * hold several statements about one subject). JWT subscriptions get the SET signed RS256 with the server's token key
 * ({@code typ: secevent+jwt}, verifiable with {@code /.well-known/jwks.json}); HMAC subscriptions get it unsecured
 * ({@code alg: none}, RFC 7519 §6) with the HMAC over the body in a header ({@link WebhookSignature}).
 * <p>
 * A SET can never pass for an access token: it has no {@code exp}, {@code sub} or {@code org}, which the token
 * verifier requires.
 */
@ApplicationScoped
public class SecurityEventTokens {

    public static final String MEDIA_TYPE = "application/secevent+jwt";
    static final String SCIM_EVENT = "urn:ietf:params:scim:event:";
    static final String ROLLCALL_EVENT = "urn:rollcall:scim:event:";

    private static final Map<String, String> PROFILE_EVENTS = Map.ofEntries(
            Map.entry("user.created", "prov:create:notice"), Map.entry("group.created", "prov:create:notice"),
            Map.entry("user.updated", "prov:patch:notice"), Map.entry("group.updated", "prov:patch:notice"),
            Map.entry("user.deactivated", "prov:deactivate"), Map.entry("user.activated", "prov:activate"),
            Map.entry("user.deleted", "prov:delete"), Map.entry("group.deleted", "prov:delete"));

    /** Events the profile has no URI for, as the SCIM attribute they change. */
    private static final Map<String, String> CHANGED_ATTRIBUTE = Map.of(
            "group.members_changed", "members", "user.roles_changed", "roles", "group.roles_changed", "roles");

    private final SigningKeys keys;
    private final String issuer;

    public SecurityEventTokens(SigningKeys keys, RollcallConfig config) {
        this.keys = keys;
        this.issuer = config.tokens().issuer();
    }

    /** The SET's claims for one delivery of an event. */
    JsonObject claims(ClaimedDelivery delivery, Instant issuedAt) {
        JsonObject claims = new JsonObject()
                .put("iss", issuer)
                .put("iat", issuedAt.getEpochSecond())
                .put("jti", delivery.eventId().toString())
                .put("aud", delivery.url())
                .put("sub_id", new JsonObject().put("format", "scim")
                        .put("uri", "/" + (delivery.resourceType().equals("User") ? "Users" : "Groups") + "/"
                                + delivery.resourceId()))
                .put("toe", delivery.occurredAt().getEpochSecond());
        if (delivery.requestId() != null) {
            claims.put("txn", delivery.requestId());
        }
        return claims.put("events", events(delivery.eventType(), new JsonObject(delivery.payload())));
    }

    static JsonObject events(String eventType, JsonObject payload) {
        String profileEvent = PROFILE_EVENTS.get(eventType);
        if (profileEvent != null) {
            JsonObject statement = new JsonObject();
            if (profileEvent.endsWith(":notice")) {
                // the profile requires the names of the attributes set or changed
                JsonArray attributes = payload.getValue("attributes") instanceof JsonArray names ? names : new JsonArray();
                statement.put("attributes", attributes);
            }
            return new JsonObject().put(SCIM_EVENT + profileEvent, statement);
        }
        String attribute = CHANGED_ATTRIBUTE.get(eventType);
        JsonObject events = new JsonObject();
        if (attribute != null) {
            events.put(SCIM_EVENT + "prov:patch:notice", new JsonObject().put("attributes", new JsonArray().add(attribute)));
        }
        return events.put(ROLLCALL_EVENT + eventType, payload);
    }

    /** The claims as a JWS signed with the server's token key: the body of a JWT subscription's delivery. */
    String signed(JsonObject claims) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.encode());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setKeyIdHeaderValue(keys.keyId());
        jws.setHeader("typ", "secevent+jwt");
        jws.setKey(keys.privateKey());
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign a security event token", e);
        }
    }

    /** The claims as an unsecured JWT (RFC 7519 §6): the body of an HMAC subscription's delivery. */
    static String unsecured(JsonObject claims) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString("{\"alg\":\"none\",\"typ\":\"secevent+jwt\"}".getBytes(StandardCharsets.UTF_8))
                + "." + base64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".";
    }
}
