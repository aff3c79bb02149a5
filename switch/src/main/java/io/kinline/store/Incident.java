package io.kinline.store;

import java.time.Instant;

/**
 * A security-relevant event for investigators.
 *
 * @param details free text or JSON
 */
public record Incident(long id, String facilityId, String inmateId, String callId, Type type, Instant at,
                       String details) {

    public enum Type {
        PIN_FAILED, PIN_LOCKOUT, TOLL_FREE_ATTEMPT, BANNED_NUMBER_ATTEMPT, BLOCKED_NUMBER_ATTEMPT,
        NO_CONTACT_ATTEMPT, NOT_APPROVED_ATTEMPT, OUTSIDE_HOURS_ATTEMPT, INTERNATIONAL_ATTEMPT,
        THREE_WAY_SUSPECTED, CALL_CUT_OFF, RESTRICTED_ATTEMPT, OTHER,
        /** A gateway presented a station it is not provisioned for (sip.gateways.stations): 403, no call. */
        STATION_NOT_ALLOWED
    }

    /** A new, unsaved incident (id 0). */
    public static Incident of(String facilityId, String inmateId, String callId, Type type, Instant at,
                              String details) {
        return new Incident(0, facilityId, inmateId, callId, type, at, details);
    }
}
