package io.rollcall.store;

/**
 * Every PostgreSQL advisory lock key Rollcall takes, in one place, so that no two concerns share one: a shared key
 * makes unrelated transactions queue behind each other (as owner-rule and group-nesting changes of one organization did
 * while both used 8207412). The per-organization locks take two keys, this one and {@code hashtext(<organization id>)};
 * the bootstrap lock takes this one alone. A new concern gets the next number here.
 */
final class AdvisoryLocks {

    /** First-start bootstrapping, across the instances sharing one database ({@link OrganizationRepository}). */
    static final int BOOTSTRAP = 8207411;
    /** Nesting groups, so that two additions cannot together form a cycle ({@link GroupRepository}). */
    static final int GROUP_NESTING = 8207412;
    /** Adding members (shared) against deleting users and groups (exclusive) ({@link GroupRepository}). */
    static final int MEMBERSHIPS = 8207413;
    /** Creating event subscriptions, counted against the organization's limit ({@link EventSubscriptionRepository}). */
    static final int EVENT_SUBSCRIPTION_CREATES = 8207414;
    /** Changes that may take Organization Owner from someone, the last-owner rule ({@link OwnerRuleRepository}). */
    static final int OWNERS = 8207415;

    private AdvisoryLocks() {
    }
}
