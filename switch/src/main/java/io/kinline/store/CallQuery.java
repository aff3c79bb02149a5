package io.kinline.store;

import java.time.Instant;

/**
 * CDR search filter; {@code null} fields do not filter. Times filter on {@code startedAt}
 * ({@code from} inclusive, {@code to} exclusive).
 */
public record CallQuery(String facilityId, String btn, String inmateId, String dialed, Instant from, Instant to,
                        CallOutcome outcome, int limit) {

    public CallQuery {
        if (limit <= 0 || limit > 10_000) {
            limit = 1_000;
        }
    }

    public static CallQuery all() {
        return new CallQuery(null, null, null, null, null, null, null, 1_000);
    }

    public CallQuery withBtn(String v) {
        return new CallQuery(facilityId, v, inmateId, dialed, from, to, outcome, limit);
    }

    public CallQuery withInmate(String v) {
        return new CallQuery(facilityId, btn, v, dialed, from, to, outcome, limit);
    }

    public CallQuery withRange(Instant f, Instant t) {
        return new CallQuery(facilityId, btn, inmateId, dialed, f, t, outcome, limit);
    }

    public CallQuery withOutcome(CallOutcome v) {
        return new CallQuery(facilityId, btn, inmateId, dialed, from, to, v, limit);
    }
}
