package io.rollcall.http;

/** The API a request path belongs to; it decides the error format (SCIM Error, RFC 9457 problem) and the gate. */
public enum Api {
    SCIM, ADMIN, OTHER;

    public static Api of(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        if (p.equals("/scim/v2") || p.startsWith("/scim/v2/")) {
            return SCIM;
        }
        if (p.equals("/admin/v1") || p.startsWith("/admin/v1/")) {
            return ADMIN;
        }
        return OTHER;
    }
}
