package io.kinline.script;

import io.kinline.policy.FacilityRules;

/**
 * A known handset or tablet with the rules of its facility: what the script needs of the station (the
 * stored station is {@link io.kinline.store.Station}).
 */
public record StationRules(String stationId, FacilityRules facility) {
}
