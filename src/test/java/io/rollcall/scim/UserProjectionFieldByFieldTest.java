package io.rollcall.scim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.core.UriInfo;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.rollcall.store.StoredResource;
import io.rollcall.store.UserView;

/**
 * A user projected by whole core attributes (RFC 7644 §3.4.2.5, §3.9) is written field by field from its stored
 * document; what it shows must be exactly what projecting the parsed representation shows, for every {@code returned}
 * rule of RFC 7643 §7 (id always, groups and roles computed, meta, the enterprise extension kept or dropped whole).
 */
class UserProjectionFieldByFieldTest {

    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    private static ResourceSchema schema;
    private static UserView user;
    private static ScimLocations locations;

    @BeforeAll
    static void user() {
        SchemaRegistry registry = new SchemaRegistry();
        registry.load();
        schema = registry.resourceSchema(UserDocuments.RESOURCE_TYPE).orElseThrow();
        String data = """
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "%s"],
                 "userName": "ana@example.com", "externalId": "ext-ana", "displayName": "Ana",
                 "name": {"givenName": "Ana", "familyName": "Lima", "formatted": "Ana Lima"},
                 "emails": [{"value": "ana@example.com", "type": "work", "primary": true}],
                 "phoneNumbers": [{"value": "+351 210 000 000", "type": "work"}],
                 "active": true,
                 "%s": {"employeeNumber": "42", "department": "Sales", "manager": {"value": "m-1"}}}
                """.formatted(ENTERPRISE, ENTERPRISE);
        String related = """
                {"groups": [{"id": "0190a6c4-7a38-7c1e-9a4b-2b1f3c4d5e6f", "display": "Eng", "direct": true}],
                 "roles": [{"value": "member", "display": "Member", "source": "scim"}]}""";
        user = UserView.of(new StoredResource(UUID.fromString("0190a6c4-7a38-7c1e-9a4b-000000000001"), data, 3,
                Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-02T10:00:00Z"), related));
        UriInfo uriInfo = (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] { UriInfo.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("getBaseUri")) {
                        return URI.create("https://rollcall.example/");
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        locations = ScimLocations.of(uriInfo);
    }

    @ParameterizedTest(name = "attributes={0} excludedAttributes={1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "userName|-", "userName,emails|-", "id|-", "groups|-", "roles,meta|-", "USERNAME,Name|-",
            "urn:ietf:params:scim:schemas:core:2.0:User:displayName|-", "password|-",
            "-|groups", "-|groups,roles", "-|emails,name,meta", "-|id", "-|externalId,active,phoneNumbers"})
    void rfc7644_3_9_aProjectionByWholeAttributesShowsWhatProjectingTheTreeShows(String attributes, String excluded)
            throws Exception {
        AttributeProjection projection = AttributeProjection.of(schema, attributes, excluded);
        assertTrue(projection.byTopLevelNames());

        JsonNode fieldByField = ScimJson.MAPPER.readTree(UserDocuments.json(user, locations, projection::showsField)
                .toString());
        JsonNode projected = projection.apply(UserDocuments.render(user, locations));
        assertEquals(projected, fieldByField);
    }

    @Test
    void rfc7644_3_9_subAttributesAndExtensionsAreProjectedOnTheTree() throws Exception {
        for (String[] pair : new String[][] { { "name.givenName", null }, { null, "emails.type" },
                { ENTERPRISE + ":department", null }, { null, ENTERPRISE }, { ENTERPRISE, null } }) {
            assertFalse(AttributeProjection.of(schema, pair[0], pair[1]).byTopLevelNames(), String.join(",",
                    String.valueOf(pair[0]), String.valueOf(pair[1])));
        }
    }
}
