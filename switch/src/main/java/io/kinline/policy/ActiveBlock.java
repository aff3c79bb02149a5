package io.kinline.policy;

import java.util.Objects;

/**
 * A block in force on the dialed number for this inmate or facility, as the rules see it (the stored
 * block, with its history, is {@link io.kinline.store.Block}).
 */
public record ActiveBlock(BlockType type, String note) {
    public ActiveBlock {
        Objects.requireNonNull(type, "type");
        note = note == null ? "" : note;
    }
}
