package io.rollcall.scim;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.access.Principal;
import io.rollcall.service.GroupService;
import io.rollcall.service.GroupWrite;
import io.rollcall.store.StoredResource;
import io.smallrye.mutiny.Uni;

/**
 * Writes to {@code /Groups} ({@link ResourceRequests}): the body is validated against the Group schemas; a PATCH is
 * split by {@link GroupPatch} into member deltas and a document patch, and one that only adds or removes members (what
 * identity providers send) takes {@link GroupService#patchMembers}, which reads no group row.
 */
@ApplicationScoped
public class GroupRequests implements ResourceRequests {

    private final GroupService groups;
    private final ResourceSchema schema;
    private final ResourceValidator validator;

    public GroupRequests(GroupService groups, SchemaRegistry registry) {
        this.groups = groups;
        this.schema = registry.resourceSchema(GroupDocuments.RESOURCE_TYPE).orElseThrow();
        this.validator = new ResourceValidator(schema, IndexedValues.GROUP);
    }

    @Override
    public String endpoint() {
        return GroupDocuments.ENDPOINT;
    }

    @Override
    public Uni<StoredResource> create(Principal caller, ObjectNode body) throws ScimException {
        List<String> roles = GroupDocuments.roles(body);
        GroupWrite write = GroupDocuments.toWrite(validator.validate(body, null), roles);
        return groups.create(caller, write);
    }

    @Override
    public Uni<StoredResource> replace(Principal caller, String id, String ifMatch, ObjectNode body) {
        return NotFoundFirst.write(() -> replaceJudged(caller, id, ifMatch, body), () -> lookup(caller, id));
    }

    private Uni<StoredResource> replaceJudged(Principal caller, String id, String ifMatch, ObjectNode body)
            throws ScimException {
        List<String> roles = GroupDocuments.roles(body);
        // validated before the group is read, since its members are locked first; immutables are checked once it is
        ResourceValidator.Validated validated = validator.validate(body, null);
        GroupWrite write = GroupDocuments.toWrite(validated, roles);
        return groups.replace(caller, ScimRequests.resourceId(id, GroupDocuments.RESOURCE_TYPE), ifMatch, write,
                stored -> ScimRequests.unchecked(() -> {
                    validator.checkImmutable(validated.document(), ScimDocuments.parse(stored));
                    return write;
                }));
    }

    @Override
    public Uni<StoredResource> patch(Principal caller, String id, String ifMatch, ObjectNode body) {
        return NotFoundFirst.write(() -> patchJudged(caller, id, ifMatch, body), () -> lookup(caller, id));
    }

    private Uni<StoredResource> patchJudged(Principal caller, String id, String ifMatch, ObjectNode body)
            throws ScimException {
        GroupPatch patch = GroupPatch.of(ScimPatch.parse(body, schema));
        UUID groupId = ScimRequests.resourceId(id, GroupDocuments.RESOURCE_TYPE);
        if (!patch.changesDocument()) {
            return groups.patchMembers(caller, groupId, ifMatch, patch.memberChanges())
                    .map(version -> new StoredResource(groupId, null, version, null, null, null));
        }
        return groups.patch(caller, groupId, ifMatch, patch.memberChanges(), stored -> ScimRequests.unchecked(() -> {
            ObjectNode before = ScimDocuments.parse(stored);
            ObjectNode after = patch.documentPatch().applyTo(before, id);
            if (after.has(GroupDocuments.ACCESS)) {
                throw BadRequestException.invalidPath("A group's roles are set with PUT (" + GroupDocuments.ACCESS
                        + " roles) or by PATCHing the role's members on /Roles");
            }
            return GroupDocuments.toWrite(validator.validate(after, before), null);
        }));
    }

    private Uni<StoredResource> lookup(Principal caller, String id) {
        return groups.get(caller, ScimRequests.resourceId(id, GroupDocuments.RESOURCE_TYPE));
    }

    /** 204 with the new ETag: a one-member change to a 100,000-member group answers small (RFC 7644 §3.5.2). */
    @Override
    public int patchStatus() {
        return 204;
    }

    @Override
    public Uni<Void> delete(Principal caller, String id, String ifMatch) {
        return groups.delete(caller, ScimRequests.resourceId(id, GroupDocuments.RESOURCE_TYPE), ifMatch);
    }
}
