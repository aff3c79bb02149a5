package io.kinline.script;

import io.kinline.policy.FacilityRules;

/** A known handset or tablet and its facility's rules. */
public record Station(String stationId, FacilityRules facility) {
}
