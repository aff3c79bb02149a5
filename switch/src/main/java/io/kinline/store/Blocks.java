package io.kinline.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Number blocks. */
public interface Blocks {

    /** Adds a block; returns it with its id. */
    Block add(Block block);

    Optional<Block> get(long id);

    /** Lifts an active block; returns the updated block, empty if unknown or already lifted. */
    Optional<Block> lift(long id, String liftedBy, Instant at);

    /**
     * Lists blocks, newest first; any filter may be {@code null}.
     *
     * @param activeOnly skip lifted blocks
     */
    List<Block> list(String number, String facilityId, String inmateId, boolean activeOnly);

    /**
     * Call flow: active blocks that stop this inmate in this facility from calling this number:
     * blocks for every facility or this one, and for every inmate or this one (no-contact orders).
     */
    List<Block> findActive(String facilityId, String inmateId, String number);
}
