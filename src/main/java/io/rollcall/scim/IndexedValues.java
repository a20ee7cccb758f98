package io.rollcall.scim;

import java.util.Set;

/**
 * The attributes whose values PostgreSQL keeps in an index (V2__users_groups.sql: btree on userName, displayName and
 * externalId, GIN on the users' emails values), and how long such a value may be. An index entry holds at most about
 * 2,700 bytes; {@value #MAX_LENGTH} characters take at most 2,048 bytes in UTF-8, whatever the characters, and are far
 * more than identity providers send (Entra ID caps userPrincipalName at 113 characters and displayName at 256; an
 * e-mail address has at most 254).
 */
final class IndexedValues {

    /** Characters (Unicode code points) an indexed attribute's value may have. */
    static final int MAX_LENGTH = 512;

    /** Attribute paths as {@link ResourceValidator} names them in errors. */
    static final Set<String> USER = Set.of("userName", "displayName", "externalId", "emails.value");
    static final Set<String> GROUP = Set.of("displayName", "externalId");

    private IndexedValues() {
    }
}
