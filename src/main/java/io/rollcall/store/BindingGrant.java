package io.rollcall.store;

import java.util.UUID;

import io.rollcall.access.Grant;

/** A {@link Grant} with the role binding it reaches its principal through: what an explanation points at. */
public record BindingGrant(UUID bindingId, Grant grant) {
}
