package io.rollcall.scim;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.ScimException;

import io.rollcall.access.Principal;
import io.rollcall.service.UserService;
import io.rollcall.service.UserWrite;
import io.rollcall.store.StoredResource;
import io.smallrye.mutiny.Uni;

/**
 * Writes to {@code /Users} ({@link ResourceRequests}): the body is validated against the User schemas
 * ({@link ResourceValidator}), {@code roles} read in every shape identity providers send ({@link RoleValues}), a PATCH
 * applied by {@link ScimPatch} to the stored document and its roles while the row is locked; then {@link UserService}.
 */
@ApplicationScoped
public class UserRequests implements ResourceRequests {

    private final UserService users;
    private final ResourceSchema schema;
    private final ResourceValidator validator;

    public UserRequests(UserService users, SchemaRegistry registry) {
        this.users = users;
        this.schema = registry.resourceSchema(UserDocuments.RESOURCE_TYPE).orElseThrow();
        this.validator = new ResourceValidator(schema, IndexedValues.USER);
    }

    @Override
    public String endpoint() {
        return UserDocuments.ENDPOINT;
    }

    @Override
    public Uni<StoredResource> create(Principal caller, ObjectNode body) throws ScimException {
        RoleValues.normalize(body);
        UserWrite write = UserDocuments.toWrite(validator.validate(body, null), RoleValues.references(body));
        return users.create(caller, write);
    }

    @Override
    public Uni<StoredResource> replace(Principal caller, String id, String ifMatch, ObjectNode body) {
        return NotFoundFirst.write(() -> replaceJudged(caller, id, ifMatch, body), () -> lookup(caller, id));
    }

    private Uni<StoredResource> replaceJudged(Principal caller, String id, String ifMatch, ObjectNode body)
            throws ScimException {
        RoleValues.normalize(body);
        List<String> roles = RoleValues.references(body);
        return users.update(caller, ScimRequests.resourceId(id, UserDocuments.RESOURCE_TYPE), ifMatch,
                (stored, bindings) -> ScimRequests.unchecked(() -> UserDocuments.toWrite(
                        validator.validate(body, ScimDocuments.parse(stored)), roles)));
    }

    @Override
    public Uni<StoredResource> patch(Principal caller, String id, String ifMatch, ObjectNode body) {
        return NotFoundFirst.write(() -> patchJudged(caller, id, ifMatch, body), () -> lookup(caller, id));
    }

    private Uni<StoredResource> patchJudged(Principal caller, String id, String ifMatch, ObjectNode body)
            throws ScimException {
        ScimPatch patch = ScimPatch.parse(body, schema);
        return users.update(caller, ScimRequests.resourceId(id, UserDocuments.RESOURCE_TYPE), ifMatch,
                (stored, roles) -> ScimRequests.unchecked(() -> {
                    ObjectNode before = ScimDocuments.parse(stored);
                    ArrayNode patchable = RoleValues.patchable(roles);
                    if (!patchable.isEmpty()) {
                        before.set(RoleValues.ATTRIBUTE, patchable);
                    }
                    ObjectNode patched = patch.applyTo(before, id);
                    RoleValues.normalize(patched);
                    // the patch ran on the roles too: none left afterwards means it removed them all
                    List<String> asserted = RoleValues.references(patched);
                    return UserDocuments.toWrite(validator.validate(patched, before),
                            asserted == null ? List.of() : asserted);
                }));
    }

    private Uni<StoredResource> lookup(Principal caller, String id) {
        return users.get(caller, ScimRequests.resourceId(id, UserDocuments.RESOURCE_TYPE), false, false);
    }

    @Override
    public Uni<Void> delete(Principal caller, String id, String ifMatch) {
        return users.delete(caller, ScimRequests.resourceId(id, UserDocuments.RESOURCE_TYPE), ifMatch);
    }
}
