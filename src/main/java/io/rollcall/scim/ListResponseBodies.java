package io.rollcall.scim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.unboundid.scim2.common.messages.ListResponse;

import io.smallrye.mutiny.Multi;

/**
 * The body of a list response (RFC 7644 §3.4.2). A page whose resources include a {@link JsonStream} (a group with
 * its members) is itself streamed: each streamed resource is sent piece by piece in its place, and the resources in
 * between are written together; any other page is a plain {@link ListResponse}. An index page states its
 * {@code startIndex}; a cursor page (RFC 9865 §2) states none, and carries {@code nextCursor} unless it is the last.
 */
final class ListResponseBodies {

    private static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    private ListResponseBodies() {
    }

    /**
     * A page whose resources arrive as they are read: written in pieces, a group of resources at a time, so that only
     * that group is in memory. {@code itemsPerPage} comes after {@code Resources}, once they are counted (members of a
     * JSON object have no order).
     */
    /**
     * @param startIndex null for a cursor page
     * @param nextCursor the {@code nextCursor} for the number of resources written (null: none), for a cursor page
     */
    static JsonStream streamed(long totalResults, Multi<Object> resources, Integer startIndex,
            IntFunction<String> nextCursor) {
        AtomicInteger written = new AtomicInteger();
        Multi<byte[]> header = Multi.createFrom().item(() -> bytes(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("schemas");
            out.writeString(LIST_RESPONSE);
            out.writeEndArray();
            out.writeNumberField("totalResults", totalResults);
            if (startIndex != null) {
                out.writeNumberField("startIndex", startIndex);
            }
            out.writeFieldName("Resources");
            out.writeRaw(":[");
        }));
        Multi<byte[]> body = resources.group().intoLists().of(STREAMED_GROUP)
                .onItem().transformToMultiAndConcatenate(group -> pieces(group, written));
        Multi<byte[]> footer = Multi.createFrom().item(() -> {
            String next = nextCursor == null ? null : nextCursor.apply(written.get());
            // a cursor is base64url: nothing in it needs escaping
            return bytes(out -> out.writeRaw("],\"itemsPerPage\":" + written.get()
                    + (next == null ? "" : ",\"nextCursor\":\"" + next + "\"") + "}"));
        });
        return new JsonStream(Multi.createBy().concatenating().streams(header, body, footer));
    }

    /**
     * A group of a streamed page's resources as pieces: the plain ones written together, each {@link JsonStream} (a
     * group with its members) sent as its own pieces in its place.
     */
    private static Multi<byte[]> pieces(List<Object> group, AtomicInteger written) {
        List<Multi<byte[]>> pieces = new ArrayList<>();
        List<Object> plain = new ArrayList<>();
        boolean plainFirst = false;
        for (Object resource : group) {
            boolean first = written.getAndIncrement() == 0;
            if (resource instanceof JsonStream stream) {
                if (!plain.isEmpty()) {
                    pieces.add(Multi.createFrom().item(written(plain, plainFirst)));
                    plain = new ArrayList<>();
                }
                if (!first) {
                    pieces.add(Multi.createFrom().item(new byte[] { ',' }));
                }
                pieces.add(stream.pieces());
            } else {
                if (plain.isEmpty()) {
                    plainFirst = first;
                }
                plain.add(resource);
            }
        }
        if (!plain.isEmpty()) {
            pieces.add(Multi.createFrom().item(written(plain, plainFirst)));
        }
        return Multi.createBy().concatenating().streams(pieces);
    }

    /** Resources written one after another, with a comma before each unless the first is the page's first. */
    private static byte[] written(List<Object> resources, boolean startsPage) {
        return bytes(out -> {
            for (int i = 0; i < resources.size(); i++) {
                if (i > 0 || !startsPage) {
                    out.writeRaw(',');
                }
                out.writeObject(resources.get(i));
            }
        });
    }

    /** Resources written per piece of a streamed page. */
    private static final int STREAMED_GROUP = 100;

    private interface Writing {
        void to(JsonGenerator out) throws IOException;
    }

    private static byte[] bytes(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = ScimJson.MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            // a piece is part of one document: nothing closed or separated for it
            out.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            out.setRootValueSeparator(null);
            writing.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * @param startIndex null for a cursor page
     * @param nextCursor the page's {@code nextCursor}, or null
     */
    static Object of(long totalResults, List<Object> resources, Integer startIndex, String nextCursor) {
        if (resources.stream().noneMatch(JsonStream.class::isInstance)) {
            return new ListResponse<>((int) totalResults, startIndex, resources.size(), null, nextCursor, resources);
        }
        List<Multi<byte[]>> pieces = new ArrayList<>();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try (JsonGenerator out = ScimJson.MAPPER.getFactory().createGenerator(written, JsonEncoding.UTF8)) {
            out.writeStartObject();
            out.writeArrayFieldStart("schemas");
            out.writeString(LIST_RESPONSE);
            out.writeEndArray();
            out.writeNumberField("totalResults", totalResults);
            out.writeNumberField("itemsPerPage", resources.size());
            if (startIndex != null) {
                out.writeNumberField("startIndex", startIndex);
            }
            if (nextCursor != null) {
                out.writeStringField("nextCursor", nextCursor);
            }
            out.writeArrayFieldStart("Resources");
            for (Object resource : resources) {
                if (resource instanceof JsonStream stream) {
                    out.writeRawValue(""); // the separating comma; the stream's pieces are the value
                    out.flush();
                    pieces.add(Multi.createFrom().item(written.toByteArray()));
                    written.reset();
                    pieces.add(stream.pieces());
                } else {
                    out.writeObject(resource);
                }
            }
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pieces.add(Multi.createFrom().item(written.toByteArray()));
        return new JsonStream(Multi.createBy().concatenating().streams(pieces));
    }
}
