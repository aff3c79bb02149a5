package io.kinline.script;

import io.kinline.policy.IncidentType;
import java.time.Instant;

/** An incident for investigators. Fields other than type, callId and at may be null. */
public record Incident(IncidentType type, String callId, String facilityId, String stationId, String inmateId,
        String number, String detail, Instant at) {
}
