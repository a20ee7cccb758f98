package io.rollcall.service;

import java.util.List;

/**
 * What a create or replace asks to store for a group: the canonical SCIM document without members, and the full
 * member list (null on a patch, whose membership changes come as {@link GroupMemberChange}s), and the role references of
 * the access extension ({@code roles}; null when the request leaves the group's roles alone, as IdPs' PUTs do).
 */
public record GroupWrite(String displayName, String externalId, String data, List<GroupMemberChange.Member> members,
        List<String> roles) {
}
