package io.rollcall.auth;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import io.rollcall.token.SigningKeys;

/**
 * {@code GET /.well-known/jwks.json}: the public key that verifies this server's tokens (RFC 7517), so that other
 * services can check a Rollcall token without asking Rollcall.
 */
@Path("/.well-known/jwks.json")
public class JwksEndpoint {

    private final String jwks;

    public JwksEndpoint(SigningKeys keys) {
        JsonObject key = new JsonObject()
                .put("kty", "RSA")
                .put("use", "sig")
                .put("alg", "RS256")
                .put("kid", keys.keyId())
                .put("n", SigningKeys.base64Url(keys.publicKey().getModulus()))
                .put("e", SigningKeys.base64Url(keys.publicKey().getPublicExponent()));
        this.jwks = new JsonObject().put("keys", new JsonArray().add(key)).encode();
    }

    @GET
    @Produces({ MediaType.APPLICATION_JSON, "application/jwk-set+json" })
    public String get() {
        return jwks;
    }
}
