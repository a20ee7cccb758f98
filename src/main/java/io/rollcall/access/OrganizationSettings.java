package io.rollcall.access;

/**
 * What an organization decides about its roles.
 *
 * @param fallbackRole            value of the role a user keeps when nothing else grants one (rule 1); assignable,
 *                                never internal
 * @param ownerAssignableOverScim whether an identity provider may bind Organization Owner (rule 6)
 */
public record OrganizationSettings(String fallbackRole, boolean ownerAssignableOverScim) {

    public static final String DEFAULT_FALLBACK_ROLE = "knowledge-base-user";

    public static OrganizationSettings defaults() {
        return new OrganizationSettings(DEFAULT_FALLBACK_ROLE, false);
    }
}
