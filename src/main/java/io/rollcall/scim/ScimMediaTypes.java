package io.rollcall.scim;

/** RFC 7644 §3.1: SCIM messages are {@code application/scim+json}; plain {@code application/json} is accepted too. */
public final class ScimMediaTypes {

    public static final String SCIM_JSON = "application/scim+json";
    public static final String SCIM_JSON_UTF8 = SCIM_JSON + ";charset=utf-8";
    public static final String JSON = "application/json";

    private ScimMediaTypes() {
    }
}
