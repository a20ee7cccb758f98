package io.rollcall.admin;

import java.time.Instant;
import java.util.List;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.rollcall.service.ClientCredentialsService;
import io.rollcall.store.AccessKeySecretRepository.SecretRow;
import io.rollcall.resource.Ids;

import java.net.URI;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestResponse;

import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ResourceNotFoundException;

import io.rollcall.admin.AccessKeyJson.AccessKey;
import io.rollcall.admin.AccessKeyJson.AccessKeyList;
import io.rollcall.admin.AccessKeyJson.CreateRequest;
import io.rollcall.auth.CurrentCaller;
import io.rollcall.service.AccessKeyService;
import io.rollcall.service.ScimFailure;
import io.smallrye.mutiny.Uni;

/**
 * {@code /admin/v1/access-keys}: machine credentials. Creating and revoking need {@code access-keys:manage}, reading
 * needs {@code access-keys:read} (Organization Owner holds both). The token is returned once, by the create call.
 */
@Path("/admin/v1/access-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccessKeysEndpoint {

    private final AccessKeyService accessKeys;
    private final ClientCredentialsService clientCredentials;
    private final CurrentCaller caller;

    public AccessKeysEndpoint(AccessKeyService accessKeys, ClientCredentialsService clientCredentials,
            CurrentCaller caller) {
        this.accessKeys = accessKeys;
        this.clientCredentials = clientCredentials;
        this.caller = caller;
    }

    @POST
    public Uni<RestResponse<AccessKey>> create(CreateRequest request, @Context UriInfo uriInfo) {
        if (request == null) {
            return Uni.createFrom().failure(ScimFailure.of(BadRequestException.invalidSyntax(
                    "Send a JSON object such as {\"name\": \"okta\", \"roles\": [\"SCIM Client\"]}")));
        }
        return accessKeys.create(caller.get(), request.name(), request.roles(), request.expiresAt())
                .map(AccessKey::of)
                .map(key -> RestResponse.ResponseBuilder
                        .<AccessKey>created(URI.create(uriInfo.getAbsolutePath() + "/" + key.id()))
                        .entity(key).build());
    }

    @GET
    public Uni<AccessKeyList> list() {
        return accessKeys.list(caller.get())
                .map(views -> new AccessKeyList(views.size(), views.stream().map(AccessKey::of).toList()));
    }

    @GET
    @Path("{id}")
    public Uni<AccessKey> get(@PathParam("id") String id) {
        return accessKeys.get(caller.get(), keyId(id)).map(AccessKey::of);
    }

    @DELETE
    @Path("{id}")
    public Uni<RestResponse<Void>> revoke(@PathParam("id") String id) {
        return accessKeys.revoke(caller.get(), keyId(id)).map(ignored -> RestResponse.noContent());
    }

    /** A client secret as administrators see it; {@code secret} only in the answer that created it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClientSecret(UUID id, UUID accessKeyId, Instant createdAt, Instant lastUsedAt, String secret) {

        static ClientSecret of(SecretRow row, String secret) {
            return new ClientSecret(row.id(), row.accessKeyId(), row.createdAt(), row.lastUsedAt(), secret);
        }
    }

    public record ClientSecretList(int totalResults, List<ClientSecret> items) {
    }

    /** A client secret for OAuth 2.0 client credentials ({@code POST /oauth/token}); the client id is the key's id. */
    @POST
    @Path("{id}/secrets")
    public Uni<RestResponse<ClientSecret>> createSecret(@PathParam("id") String id, @Context UriInfo uriInfo) {
        return clientCredentials.createSecret(caller.get(), keyId(id))
                .map(created -> RestResponse.ResponseBuilder
                        .<ClientSecret>created(URI.create(uriInfo.getAbsolutePath() + "/" + created.row().id()))
                        .entity(ClientSecret.of(created.row(), created.secret())).build());
    }

    @GET
    @Path("{id}/secrets")
    public Uni<ClientSecretList> listSecrets(@PathParam("id") String id) {
        return clientCredentials.listSecrets(caller.get(), keyId(id)).map(rows -> new ClientSecretList(rows.size(),
                rows.stream().map(row -> ClientSecret.of(row, null)).toList()));
    }

    @DELETE
    @Path("{id}/secrets/{secretId}")
    public Uni<RestResponse<Void>> revokeSecret(@PathParam("id") String id, @PathParam("secretId") String secretId) {
        UUID secret = Ids.parse(secretId).orElseThrow(() -> ScimFailure.of(new ResourceNotFoundException(
                "No client secret " + secretId + " of access key " + id)));
        return clientCredentials.revokeSecret(caller.get(), keyId(id), secret).map(ignored -> RestResponse.noContent());
    }

    private static UUID keyId(String id) {
        return AdminRequests.id(id, "access key");
    }
}
