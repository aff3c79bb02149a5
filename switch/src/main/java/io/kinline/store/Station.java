package io.kinline.store;

import java.util.Objects;

/**
 * A calling station. The id is the SIP From user of the handset gateway port or tablet.
 *
 * @param housingUnitId {@code null} if the station is not tied to one unit
 */
public record Station(String id, String facilityId, Kind kind, String housingUnitId) {

    public enum Kind { HANDSET, TABLET }

    public Station {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(facilityId, "facilityId");
        Objects.requireNonNull(kind, "kind");
    }
}
