package io.rollcall.scim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.scim2.common.utils.JsonUtils;

/**
 * The UnboundID SDK's object mapper: case-insensitive attribute names, SCIM date format, and the SDK model's own
 * (de)serialisers. Quarkus' reflection-free Jackson cannot build SDK types, so every SCIM body goes through this mapper.
 */
public final class ScimJson {

    public static final ObjectMapper MAPPER = JsonUtils.createObjectMapper();

    private ScimJson() {
    }
}
