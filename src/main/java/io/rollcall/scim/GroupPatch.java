package io.rollcall.scim;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.Path;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.EqualFilter;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.filters.OrFilter;
import com.unboundid.scim2.common.messages.PatchOpType;
import com.unboundid.scim2.common.messages.PatchOperation;

import io.rollcall.service.GroupMemberChange;

/**
 * A Group PATCH split in two: operations on {@code members} become {@link GroupMemberChange} deltas (never reading the
 * member list), the rest is a {@link ScimPatch} on the group's document. Member operations understood:
 * <ul>
 * <li>{@code add} {@code members} with one or more {@code {"value": id}} (type optional, as Okta sends);</li>
 * <li>{@code remove} {@code members[value eq "id"]} (also {@code or}-ed), {@code remove} {@code members} with a
 * value list (Entra ID), {@code remove} {@code members} alone (everyone);</li>
 * <li>{@code replace} {@code members} with a list, possibly empty (Okta), or a no-path object with {@code members}.</li>
 * </ul>
 */
public final class GroupPatch {

    private final ScimPatch documentPatch;
    private final List<GroupMemberChange> memberChanges;

    private GroupPatch(ScimPatch documentPatch, List<GroupMemberChange> memberChanges) {
        this.documentPatch = documentPatch;
        this.memberChanges = memberChanges;
    }

    /** Each change and document step keeps the request operation it comes from, for errors to name. */
    public static GroupPatch of(ScimPatch patch) throws ScimException {
        List<ScimPatch.Step> documentSteps = new ArrayList<>();
        List<GroupMemberChange> changes = new ArrayList<>();
        for (ScimPatch.Step step : patch.steps()) {
            try {
                split(step, documentSteps, changes);
            } catch (BadRequestException e) {
                throw step.named(e);
            }
        }
        return new GroupPatch(patch.with(documentSteps), List.copyOf(changes));
    }

    public ScimPatch documentPatch() {
        return documentPatch;
    }

    public List<GroupMemberChange> memberChanges() {
        return memberChanges;
    }

    public boolean changesDocument() {
        return !documentPatch.steps().isEmpty();
    }

    private static void split(ScimPatch.Step step, List<ScimPatch.Step> documentSteps, List<GroupMemberChange> changes)
            throws ScimException {
        PatchOperation operation = step.operation();
        String name = step.name();
        Path path = operation.getPath();
        JsonNode value = operation.getJsonNode();
        if (path == null || path.isRoot()) {
            if (value instanceof ObjectNode object && has(object, "members")) {
                ObjectNode rest = object.deepCopy();
                JsonNode members = remove(rest, "members");
                changes.add(operation.getOpType() == PatchOpType.ADD
                        ? new GroupMemberChange.Add(GroupDocuments.members(members), name)
                        : new GroupMemberChange.Replace(GroupDocuments.members(members), name));
                if (!rest.isEmpty()) {
                    documentSteps.add(new ScimPatch.Step(step.number(), operation.getOpType() == PatchOpType.ADD
                            ? PatchOperation.add(rest) : PatchOperation.replace(rest)));
                }
                return;
            }
            documentSteps.add(step);
            return;
        }
        if (path.getSchemaUrn() != null || !path.getElement(0).getAttribute().equalsIgnoreCase("members")) {
            documentSteps.add(step);
            return;
        }
        if (path.size() > 1) {
            throw BadRequestException.mutability("Member values are immutable; remove the member and add another");
        }
        Filter filter = path.getElement(0).getValueFilter();
        switch (operation.getOpType()) {
            case ADD -> {
                if (filter != null) {
                    throw BadRequestException.invalidPath("'add' takes path \"members\" without a filter");
                }
                changes.add(new GroupMemberChange.Add(GroupDocuments.members(value), name));
            }
            case REPLACE -> {
                if (filter != null) {
                    throw BadRequestException.mutability("Member values are immutable; remove the member and add another");
                }
                changes.add(new GroupMemberChange.Replace(GroupDocuments.members(value), name));
            }
            case REMOVE -> {
                if (filter != null) {
                    changes.add(new GroupMemberChange.Remove(idsIn(filter), name));
                } else if (value != null && !value.isNull()) {
                    changes.add(new GroupMemberChange.Remove(GroupDocuments.members(value).stream()
                            .map(GroupMemberChange.Member::id).toList(), name));
                } else {
                    changes.add(new GroupMemberChange.Replace(List.of(), name));
                }
            }
            default -> throw BadRequestException.invalidSyntax("Unknown op " + operation.getOpType());
        }
    }

    /** The ids of {@code value eq "…"} filters, alone or joined with {@code or}. */
    static List<UUID> idsIn(Filter filter) throws BadRequestException {
        List<UUID> ids = new ArrayList<>();
        if (filter instanceof OrFilter or) {
            for (Filter part : or.getCombinedFilters()) {
                ids.addAll(idsIn(part));
            }
            return ids;
        }
        if (filter instanceof EqualFilter equal && equal.getAttributePath().size() == 1
                && equal.getAttributePath().getElement(0).getAttribute().equalsIgnoreCase("value")
                && equal.getComparisonValue() != null && equal.getComparisonValue().isTextual()) {
            ids.add(GroupDocuments.uuid(equal.getComparisonValue().textValue()));
            return ids;
        }
        throw BadRequestException.invalidPath("Members can be selected only with value eq \"<id>\" (joined with or); "
                + "got " + filter);
    }

    private static boolean has(ObjectNode object, String name) {
        for (var names = object.fieldNames(); names.hasNext();) {
            if (names.next().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode remove(ObjectNode object, String name) {
        for (var names = object.fieldNames(); names.hasNext();) {
            String candidate = names.next();
            if (candidate.equalsIgnoreCase(name)) {
                return object.remove(candidate);
            }
        }
        return null;
    }
}
