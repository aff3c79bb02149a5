package io.kinline.policy;

import java.util.Objects;

/** A block found on the dialed number for this inmate or facility. */
public record Block(BlockType type, String note) {
    public Block {
        Objects.requireNonNull(type, "type");
        note = note == null ? "" : note;
    }
}
