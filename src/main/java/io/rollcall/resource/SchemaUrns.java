package io.rollcall.resource;

/** URNs of Rollcall's own schema extensions (scim-schemas/), named where both the protocol and the store need them. */
public final class SchemaUrns {

    /** The extension holding a role's access model (value, type, policies, members, counts). */
    public static final String ROLE_ACCESS = "urn:rollcall:scim:schemas:extension:access:2.0:Role";

    private SchemaUrns() {
    }
}
