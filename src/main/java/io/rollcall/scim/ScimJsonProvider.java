package io.rollcall.scim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.scim2.common.exceptions.BadRequestException;

import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyReader;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import io.rollcall.http.JsonBodyException;
import io.rollcall.http.JsonProblems;
import io.rollcall.http.MediaTypes;

/**
 * Reads and writes SDK model types and JSON trees as {@code application/scim+json} or {@code application/json} with
 * {@link ScimJson#MAPPER}. A body that is not JSON, or not the JSON the endpoint expects, is a 400 {@code invalidSyntax}.
 */
@Provider
@Consumes({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
@Produces({ MediaTypes.SCIM_JSON, MediaTypes.JSON })
public class ScimJsonProvider implements ServerMessageBodyReader<Object>, MessageBodyWriter<Object> {

    private static final String SDK_PACKAGE = "com.unboundid.scim2.";

    static boolean handles(Class<?> type) {
        return type.getName().startsWith(SDK_PACKAGE) || JsonNode.class.isAssignableFrom(type) || type == DirectJson.class;
    }

    /**
     * As a {@link ServerMessageBodyReader}, Quarkus REST asks this form, without the parameter's annotations: it reads
     * those anew from the method for every request with a body otherwise ({@code Method.getParameterAnnotations}
     * parses them each time, ~2 % of a membership PATCH's server time), and they are not needed here.
     */
    @Override
    public boolean isReadable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo lazyMethod,
            MediaType mediaType) {
        return handles(type);
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, MediaType mediaType, ServerRequestContext context)
            throws IOException {
        return read(type, genericType, context.getInputStream());
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return handles(type);
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        return read(type, genericType, entityStream);
    }

    private static Object read(Class<Object> type, Type genericType, InputStream entityStream) throws IOException {
        JsonNode tree;
        try {
            tree = ScimJson.MAPPER.readTree(entityStream);
        } catch (JsonProcessingException e) {
            throw new JsonBodyException(BadRequestException.invalidSyntax(JsonProblems.describe(e)));
        }
        if (tree == null || tree.isMissingNode()) {
            throw new JsonBodyException(BadRequestException.invalidSyntax("The request body is empty; send a JSON object"));
        }
        if (!tree.isObject() && !type.isAssignableFrom(tree.getClass())) {
            throw new JsonBodyException(BadRequestException.invalidSyntax("The request body must be a JSON object, not "
                    + describe(tree)));
        }
        if (type.isInstance(tree)) {
            return tree; // a JSON tree parameter takes the parsed tree itself (binding it again would copy it)
        }
        try {
            return ScimJson.MAPPER.readerFor(ScimJson.MAPPER.constructType(genericType)).readValue(tree);
        } catch (JsonProcessingException e) {
            throw new JsonBodyException(BadRequestException.invalidSyntax(JsonProblems.describe(e)));
        }
    }

    private static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return handles(type);
    }

    @Override
    public void writeTo(Object value, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders, OutputStream entityStream) throws IOException {
        if (value instanceof DirectJson direct) {
            direct.writeTo(entityStream);
            return;
        }
        try {
            ScimJson.MAPPER.writeValue(entityStream, value);
        } catch (JsonMappingException e) {
            // the server failed to write its own answer: a 500, not the 400 that JSON errors of a request body get
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
