package io.rollcall.scim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;

/**
 * A representation already written as JSON (UTF-8), serialised as it is: a list page of users is written straight
 * from the stored documents ({@link UserDocuments#json}) rather than built as a tree and written again.
 */
public final class RawJson implements JsonSerializable {

    private final Utf8 utf8;

    RawJson(byte[] utf8) {
        this.utf8 = new Utf8(utf8);
    }

    /** Writes the representation as it is. */
    void writeTo(OutputStream out) throws IOException {
        out.write(utf8.bytes());
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider serializers) throws IOException {
        generator.writeRawValue(utf8);
    }

    @Override
    public void serializeWithType(JsonGenerator generator, SerializerProvider serializers, TypeSerializer typeSerializer)
            throws IOException {
        serialize(generator, serializers);
    }

    @Override
    public String toString() {
        return utf8.getValue();
    }

    /** The bytes as Jackson's raw text: a UTF-8 generator copies them as they are. */
    private record Utf8(byte[] bytes) implements SerializableString {

        @Override
        public String getValue() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public int charLength() {
            return getValue().length();
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return bytes;
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            return copy(bytes, buffer, offset);
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes);
            return bytes.length;
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (buffer.remaining() < bytes.length) {
                return -1;
            }
            buffer.put(bytes);
            return bytes.length;
        }

        @Override
        public char[] asQuotedChars() {
            return JsonStringEncoder.getInstance().quoteAsString(getValue());
        }

        @Override
        public byte[] asQuotedUTF8() {
            return JsonStringEncoder.getInstance().quoteAsUTF8(getValue());
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            return copy(asQuotedUTF8(), buffer, offset);
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            char[] quoted = asQuotedChars();
            if (offset + quoted.length > buffer.length) {
                return -1;
            }
            System.arraycopy(quoted, 0, buffer, offset, quoted.length);
            return quoted.length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            String value = getValue();
            if (offset + value.length() > buffer.length) {
                return -1;
            }
            value.getChars(0, value.length(), buffer, offset);
            return value.length();
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) throws IOException {
            byte[] quoted = asQuotedUTF8();
            out.write(quoted);
            return quoted.length;
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) {
            byte[] quoted = asQuotedUTF8();
            if (buffer.remaining() < quoted.length) {
                return -1;
            }
            buffer.put(quoted);
            return quoted.length;
        }

        private static int copy(byte[] from, byte[] buffer, int offset) {
            if (offset + from.length > buffer.length) {
                return -1;
            }
            System.arraycopy(from, 0, buffer, offset, from.length);
            return from.length;
        }
    }
}
