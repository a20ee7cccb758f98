package io.rollcall.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * RFC 7644 §3.7.2: which {@code bulkId:<name>} references an operation holds, and their replacement by the ids they
 * name — wherever a string value is exactly a reference, in a PATCH path's filter, and in the operation's path.
 */
class BulkReferencesTest {

    private static BulkRequest.Operation operation(String method, String path, String data) throws Exception {
        return new BulkRequest.Operation(0, method, path, null, null,
                (ObjectNode) ScimJson.MAPPER.readTree(data), null);
    }

    @Test
    void rfc7644_3_7_2_referencesAreFoundInValuesFiltersAndThePath() throws Exception {
        BulkRequest.Operation patch = operation("PATCH", "/Groups/bulkId:team", """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "add", "path": "members", "value": [{"value": "bulkId:jesse"}]},
                                {"op": "remove", "path": "members[value eq \\"bulkId:kris\\"]"},
                                {"op": "replace", "path": "displayName", "value": "not bulkId:here"}]}""");
        assertEquals(Set.of("team", "jesse", "kris"), BulkReferences.of(patch));
    }

    @Test
    void rfc7644_3_7_2_substitutionReplacesEveryReferenceWithItsId() throws Exception {
        BulkRequest.Operation patch = operation("PATCH", "/Groups/bulkId:team", """
                {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                 "Operations": [{"op": "add", "path": "members", "value": [{"value": "bulkId:jesse"}]},
                                {"op": "remove", "path": "members[value eq \\"bulkId:kris\\"]"}]}""");
        Map<String, String> ids = Map.of("team", "t-id", "jesse", "j-id", "kris", "k-id");
        BulkReferences.substitute(patch, ids);
        assertEquals("j-id", patch.data().at("/Operations/0/value/0/value").textValue());
        assertEquals("members[value eq \"k-id\"]", patch.data().at("/Operations/1/path").textValue());
        assertEquals("/Groups/t-id", BulkReferences.resolvedPath(patch.path(), ids));

        BulkRequest.Operation post = operation("POST", "/Users", """
                {"userName": "u", "roles": ["bulkId:r"],
                 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "bulkId:m"}}}""");
        BulkReferences.substitute(post, Map.of("r", "r-id", "m", "m-id"));
        assertEquals(List.of("r-id"), List.of(post.data().at("/roles/0").textValue()));
        assertEquals("m-id", post.data().at("/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/manager/value")
                .textValue());
    }
}
