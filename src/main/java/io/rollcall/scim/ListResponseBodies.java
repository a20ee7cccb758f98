package io.rollcall.scim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.unboundid.scim2.common.messages.ListResponse;

import io.smallrye.mutiny.Multi;

/**
 * The body of a list response (RFC 7644 §3.4.2). A page whose resources include a {@link JsonStream} (a group with
 * its members) is itself streamed: each streamed resource is sent piece by piece in its place, and the resources in
 * between are written together; any other page is a plain {@link ListResponse}. An index page states its
 * {@code startIndex}; a cursor page (RFC 9865 §2) states none, and carries {@code nextCursor} unless it is the last
 * and {@code previousCursor} unless it is the first.
 */
final class ListResponseBodies {

    private static final String LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

    private ListResponseBodies() {
    }

    /**
     * A page whose resources arrive as they are read, in batches: written in pieces of about {@link #PIECE_BYTES}, each
     * resource rendered only when its piece is asked for ({@link JsonStreamWriter} asks once the previous piece is on
     * the connection) and let go of once it is written, so that a page holds what is left of one batch and one piece
     * at a time. {@code itemsPerPage} comes after {@code Resources}, once they are counted
     * (members of a JSON object have no order).
     *
     * @param representation renders a resource: a value written as JSON, or a {@link JsonStream} (a group with its
     *                       members) sent as its own pieces in its place
     * @param startIndex     null for a cursor page
     * @param previousCursor the page's {@code previousCursor}, or null; known before the page is read, so written first
     * @param nextCursor     the {@code nextCursor} for the number of resources written (null: none), for a cursor page
     */
    static <T> JsonStream streamed(long totalResults, Multi<List<T>> batches, Function<T, Object> representation,
            Integer startIndex, String previousCursor, IntFunction<String> nextCursor) {
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
            if (previousCursor != null) {
                out.writeStringField("previousCursor", previousCursor);
            }
            out.writeFieldName("Resources");
            out.writeRaw(":[");
        }));
        Multi<byte[]> body = batches.onItem().transformToMultiAndConcatenate(batch -> {
            Pieces<T> pieces = new Pieces<>(batch, representation, written);
            return Multi.createFrom().<Multi<byte[]>>iterable(() -> pieces)
                    .onItem().transformToMultiAndConcatenate(piece -> piece);
        });
        Multi<byte[]> footer = Multi.createFrom().item(() -> {
            String next = nextCursor == null ? null : nextCursor.apply(written.get());
            // a cursor is base64url: nothing in it needs escaping
            return bytes(out -> out.writeRaw("],\"itemsPerPage\":" + written.get()
                    + (next == null ? "" : ",\"nextCursor\":\"" + next + "\"") + "}"));
        });
        return new JsonStream(Multi.createBy().concatenating().streams(header, body, footer));
    }

    /**
     * Bytes of a streamed page's piece: once a piece holds this many, it is sent and the next resource starts the
     * next piece (a resource is never split, so a piece is at most this plus one resource).
     */
    static final int PIECE_BYTES = 128 * 1024;

    /**
     * A batch of a streamed page's resources as pieces, produced one at a time as they are asked for: plain resources
     * written together up to {@link #PIECE_BYTES}, each {@link JsonStream} sent as its own pieces in its place. The
     * resources are taken out of the batch as they are rendered, so that what has been sent can be collected.
     */
    private static final class Pieces<T> implements Iterator<Multi<byte[]>> {

        private final ArrayDeque<T> left;
        private final Function<T, Object> representation;
        private final AtomicInteger written;
        /** A stream met while a piece of plain resources was being written: it comes next. */
        private JsonStream pending;

        Pieces(List<T> batch, Function<T, Object> representation, AtomicInteger written) {
            this.left = new ArrayDeque<>(batch);
            this.representation = representation;
            this.written = written;
        }

        @Override
        public boolean hasNext() {
            return pending != null || !left.isEmpty();
        }

        @Override
        public Multi<byte[]> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (pending != null) {
                JsonStream stream = pending;
                pending = null;
                return inPlace(stream);
            }
            ByteArrayOutputStream piece = new ByteArrayOutputStream(PIECE_BYTES + PIECE_BYTES / 4);
            try (JsonGenerator out = generator(piece)) {
                while (!left.isEmpty() && piece.size() < PIECE_BYTES) {
                    Object resource = representation.apply(left.poll());
                    if (resource instanceof JsonStream stream) {
                        out.flush();
                        if (piece.size() == 0) {
                            return inPlace(stream);
                        }
                        pending = stream;
                        break;
                    }
                    if (written.getAndIncrement() > 0) {
                        out.writeRaw(',');
                    }
                    out.writeObject(resource);
                    out.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Multi.createFrom().item(piece.toByteArray());
        }

        /** A stream's pieces, after the separating comma unless it is the page's first resource. */
        private Multi<byte[]> inPlace(JsonStream stream) {
            return written.getAndIncrement() == 0 ? stream.pieces()
                    : Multi.createBy().concatenating().streams(Multi.createFrom().item(new byte[] { ',' }),
                            stream.pieces());
        }
    }

    private interface Writing {
        void to(JsonGenerator out) throws IOException;
    }

    private static byte[] bytes(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator out = generator(bytes)) {
            writing.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A generator of a piece: part of one document, so nothing is closed or separated for it. */
    private static JsonGenerator generator(ByteArrayOutputStream bytes) throws IOException {
        JsonGenerator out = ScimJson.MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8);
        out.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
        out.setRootValueSeparator(null);
        return out;
    }

    /**
     * @param startIndex     null for a cursor page
     * @param previousCursor the page's {@code previousCursor}, or null
     * @param nextCursor     the page's {@code nextCursor}, or null
     */
    static Object of(long totalResults, List<Object> resources, Integer startIndex, String previousCursor,
            String nextCursor) {
        if (resources.stream().noneMatch(JsonStream.class::isInstance)) {
            return new ListResponse<>((int) totalResults, startIndex, resources.size(), previousCursor, nextCursor,
                    resources);
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
            if (previousCursor != null) {
                out.writeStringField("previousCursor", previousCursor);
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
