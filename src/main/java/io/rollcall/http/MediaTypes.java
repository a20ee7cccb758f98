package io.rollcall.http;

/**
 * SCIM's media types: its messages are {@code application/scim+json}, plain {@code application/json} is accepted too
 * (RFC 7644 §3.1).
 */
public final class MediaTypes {

    public static final String SCIM_JSON = "application/scim+json";
    public static final String SCIM_JSON_UTF8 = SCIM_JSON + ";charset=utf-8";
    public static final String JSON = "application/json";

    private MediaTypes() {
    }
}
