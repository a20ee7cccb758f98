package io.rollcall.scim;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import com.unboundid.scim2.common.exceptions.ForbiddenException;
import com.unboundid.scim2.common.types.AuthenticationScheme;
import com.unboundid.scim2.common.types.BulkConfig;
import com.unboundid.scim2.common.types.ChangePasswordConfig;
import com.unboundid.scim2.common.types.ETagConfig;
import com.unboundid.scim2.common.types.FilterConfig;
import com.unboundid.scim2.common.types.Meta;
import com.unboundid.scim2.common.types.PaginationConfig;
import com.unboundid.scim2.common.types.PatchConfig;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import com.unboundid.scim2.common.types.SortConfig;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollcall.config.RollcallConfig;
import io.rollcall.http.BodySizeLimit;
import io.rollcall.http.MediaTypes;

/**
 * {@code GET /scim/v2/ServiceProviderConfig} (RFC 7644 §4, RFC 7643 §5): what this server implements, exactly. A
 * capability is advertised here in the same change that implements it, never before.
 */
@Path("/scim/v2/ServiceProviderConfig")
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
@RegisterForReflection(targets = { ServiceProviderConfigResource.class, PatchConfig.class, BulkConfig.class,
        FilterConfig.class, ChangePasswordConfig.class, SortConfig.class, ETagConfig.class, PaginationConfig.class,
        AuthenticationScheme.class, Meta.class })
public class ServiceProviderConfigEndpoint {

    private final RollcallConfig config;
    private final BodySizeLimit bodySize;

    public ServiceProviderConfigEndpoint(RollcallConfig config, BodySizeLimit bodySize) {
        this.config = config;
        this.bodySize = bodySize;
    }

    @GET
    public ServiceProviderConfigResource get(@Context UriInfo uriInfo) throws ForbiddenException {
        DiscoveryQuery.refuseFilter(uriInfo);
        ServiceProviderConfigResource spc = new ServiceProviderConfigResource(
                null,
                new PatchConfig(true),
                // the limits BulkEndpoint enforces (RFC 7644 §3.7.4); the payload's is capped by the server's body limit
                new BulkConfig(true, config.scim().bulk().maxOperations(),
                        (int) Math.min(Integer.MAX_VALUE, bodySize.bulkPayloadLimit())),
                new FilterConfig(true, config.scim().maxPageSize()),
                new ChangePasswordConfig(true),
                new SortConfig(true),
                new ETagConfig(true),
                // RFC 9865 §4: cursors and indexes; index stays the default, as §2.4 asks of servers adding cursors
                new PaginationConfig(true, true, "index", config.scim().defaultPageSize(), config.scim().maxPageSize(),
                        (int) config.scim().cursorTimeout().toSeconds()),
                List.of(bearerToken()));
        spc.setMeta(new Meta()
                .setResourceType("ServiceProviderConfig")
                .setLocation(ScimLocations.of(uriInfo).of("/ServiceProviderConfig")));
        return spc;
    }

    private static AuthenticationScheme bearerToken() {
        return new AuthenticationScheme(
                "OAuth Bearer Token",
                "A bearer token (RFC 6750) of a Rollcall access key that holds the SCIM Client role; create one with "
                        + "POST /admin/v1/access-keys",
                URI.create("https://www.rfc-editor.org/rfc/rfc6750"),
                null,
                "oauthbearertoken",
                true);
    }
}
