package io.rollcall.scim;

import io.smallrye.mutiny.Multi;

/**
 * A response body sent in pieces of UTF-8 JSON as they are produced: {@link JsonStreamWriter} asks for the next piece
 * only once the previous one has been written to the connection, so a representation of any size holds one piece in
 * memory at a time (a 100,000-member group is ~17 MB of JSON; read in batches of members, a piece is ~1 MB).
 */
public record JsonStream(Multi<byte[]> pieces) {
}
