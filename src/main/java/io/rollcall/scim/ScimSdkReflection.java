package io.rollcall.scim;

import com.unboundid.scim2.common.BaseScimResource;
import com.unboundid.scim2.common.GenericScimResource;
import com.unboundid.scim2.common.messages.ErrorResponse;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.messages.PatchRequest;
import com.unboundid.scim2.common.messages.SearchRequest;
import com.unboundid.scim2.common.types.AttributeDefinition;
import com.unboundid.scim2.common.types.AuthenticationScheme;
import com.unboundid.scim2.common.types.BulkConfig;
import com.unboundid.scim2.common.types.ChangePasswordConfig;
import com.unboundid.scim2.common.types.ETagConfig;
import com.unboundid.scim2.common.types.EnterpriseUserExtension;
import com.unboundid.scim2.common.types.FilterConfig;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.JsonReference;
import com.unboundid.scim2.common.types.Meta;
import com.unboundid.scim2.common.types.PaginationConfig;
import com.unboundid.scim2.common.types.PatchConfig;
import com.unboundid.scim2.common.types.ResourceTypeResource;
import com.unboundid.scim2.common.types.SchemaResource;
import com.unboundid.scim2.common.types.ServiceProviderConfigResource;
import com.unboundid.scim2.common.types.SortConfig;
import com.unboundid.scim2.common.types.UserResource;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The UnboundID SDK types that the SDK's own Jackson mapper ({@link ScimJson#MAPPER}) reads and writes, registered
 * for reflection so that a native executable can (de)serialise them too: Quarkus registers only the types its REST
 * layer sees, and these pass through {@link ScimJsonProvider} as {@code Object}, trees or generic lists. The SDK's
 * serializers named in its {@code @JsonSerialize}/{@code @JsonDeserialize} annotations and the PATCH operation
 * subtypes (package-private) are registered by name. CI checks the native configuration covers every model type of
 * the SDK (deploy/ci/native-sources-check.sh).
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        BaseScimResource.class, GenericScimResource.class, ErrorResponse.class, ListResponse.class, SearchRequest.class,
        PatchRequest.class, PatchOperation.class, Meta.class, SchemaResource.class, AttributeDefinition.class,
        AttributeDefinition.Type.class, AttributeDefinition.Mutability.class, AttributeDefinition.Returned.class,
        AttributeDefinition.Uniqueness.class, ResourceTypeResource.class, ResourceTypeResource.SchemaExtension.class,
        ServiceProviderConfigResource.class, PatchConfig.class, BulkConfig.class, FilterConfig.class,
        ChangePasswordConfig.class, SortConfig.class, ETagConfig.class, PaginationConfig.class,
        AuthenticationScheme.class, UserResource.class, GroupResource.class, EnterpriseUserExtension.class,
        JsonReference.class },
        classNames = {
                "com.unboundid.scim2.common.messages.PatchOperation$AddOperation",
                "com.unboundid.scim2.common.messages.PatchOperation$RemoveOperation",
                "com.unboundid.scim2.common.messages.PatchOperation$ReplaceOperation",
                "com.unboundid.scim2.common.utils.CalendarDeserializer",
                "com.unboundid.scim2.common.utils.CalendarSerializer",
                "com.unboundid.scim2.common.utils.DateDeserializer",
                "com.unboundid.scim2.common.utils.DateSerializer",
                "com.unboundid.scim2.common.utils.GenericScimObjectDeserializer",
                "com.unboundid.scim2.common.utils.GenericScimObjectSerializer",
                "com.unboundid.scim2.common.utils.JsonRefBeanSerializer",
                "com.unboundid.scim2.common.utils.StatusDeserializer",
                "com.unboundid.scim2.common.utils.StatusSerializer" })
final class ScimSdkReflection {

    private ScimSdkReflection() {
    }
}
