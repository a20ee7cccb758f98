package io.rollcall.http;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

/**
 * Marks every operation under {@code /scim/v2} and {@code /admin/v1} in the OpenAPI document as needing the bearer
 * token of an access key (the scheme {@code accessKey}): the token gate ({@code io.rollcall.auth.RequestAuthenticator})
 * checks them by path, not by annotations the generator could see. {@code /.well-known/jwks.json} stays open.
 */
public class OpenApiSecurity implements OASFilter {

    static final String SCHEME = "accessKey";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (Api.of(path) == Api.OTHER) {
                return;
            }
            item.getOperations().values().forEach(operation -> operation.setSecurity(
                    java.util.List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME))));
        });
    }
}
