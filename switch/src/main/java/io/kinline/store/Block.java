package io.kinline.store;

import java.time.Instant;

/**
 * A block on a destination number. Blocks are lifted, not deleted, so their history stays.
 *
 * @param facilityId {@code null} = applies in every facility
 * @param inmateId   {@code null} = applies to every inmate; set for per-inmate no-contact orders
 */
public record Block(
        long id,
        String number,
        String facilityId,
        Type type,
        String inmateId,
        String setBy,
        Instant setAt,
        String note,
        String liftedBy,
        Instant liftedAt) {

    public enum Type { KEYPAD, FACILITY, SECURITY, NO_CONTACT, ACCOUNT }

    public boolean active() {
        return liftedAt == null;
    }

    /** A new, unsaved block (id 0). */
    public static Block of(String number, String facilityId, Type type, String inmateId, String setBy,
                           Instant setAt, String note) {
        return new Block(0, number, facilityId, type, inmateId, setBy, setAt, note, null, null);
    }
}
