package io.kinline.store;

import java.time.Instant;
import java.util.Set;

/**
 * CDR search filter; {@code null} fields do not filter. Times filter on {@code startedAt}
 * ({@code from} inclusive, {@code to} exclusive).
 *
 * @param facilities        the facilities the searcher may see (a facility-limited API token); null = all
 * @param includePrivileged whether privileged calls (attorneys, hotlines) are found at all; only admins
 *                          search them. Both are applied in the query itself, before its limit.
 * @param sipCallId         a SIP Call-ID of either leg (the inmate's INVITE or the trunk call); several calls
 *                          may carry the same one
 */
public record CallQuery(String facilityId, String btn, String inmateId, String dialed, Instant from, Instant to,
                        CallOutcome outcome, int limit, Set<String> facilities, boolean includePrivileged,
                        String sipCallId) {

    public CallQuery {
        if (limit <= 0 || limit > 10_000) {
            limit = 1_000;
        }
        facilities = facilities == null ? null : Set.copyOf(facilities);
    }

    public CallQuery(String facilityId, String btn, String inmateId, String dialed, Instant from, Instant to,
                     CallOutcome outcome, int limit, Set<String> facilities, boolean includePrivileged) {
        this(facilityId, btn, inmateId, dialed, from, to, outcome, limit, facilities, includePrivileged, null);
    }

    /** Every facility, privileged calls included. */
    public CallQuery(String facilityId, String btn, String inmateId, String dialed, Instant from, Instant to,
                     CallOutcome outcome, int limit) {
        this(facilityId, btn, inmateId, dialed, from, to, outcome, limit, null, true);
    }

    public static CallQuery all() {
        return new CallQuery(null, null, null, null, null, null, null, 1_000);
    }

    public CallQuery withBtn(String v) {
        return new CallQuery(facilityId, v, inmateId, dialed, from, to, outcome, limit, facilities, includePrivileged, sipCallId);
    }

    public CallQuery withInmate(String v) {
        return new CallQuery(facilityId, btn, v, dialed, from, to, outcome, limit, facilities, includePrivileged, sipCallId);
    }

    public CallQuery withRange(Instant f, Instant t) {
        return new CallQuery(facilityId, btn, inmateId, dialed, f, t, outcome, limit, facilities, includePrivileged, sipCallId);
    }

    public CallQuery withOutcome(CallOutcome v) {
        return new CallQuery(facilityId, btn, inmateId, dialed, from, to, v, limit, facilities, includePrivileged, sipCallId);
    }

    public CallQuery withSipCallId(String v) {
        return new CallQuery(facilityId, btn, inmateId, dialed, from, to, outcome, limit, facilities, includePrivileged, v);
    }

    /** Only within {@code fs} (null = all) and, unless {@code privileged}, without privileged calls. */
    public CallQuery visibleTo(Set<String> fs, boolean privileged) {
        return new CallQuery(facilityId, btn, inmateId, dialed, from, to, outcome, limit, fs, privileged, sipCallId);
    }
}
