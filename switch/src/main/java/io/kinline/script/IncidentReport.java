package io.kinline.script;

import io.kinline.policy.IncidentType;
import java.time.Instant;

/**
 * An incident the script reports for investigators; the call layer stores it as an
 * {@link io.kinline.store.Incident}. Fields other than type, callId and at may be null.
 */
public record IncidentReport(IncidentType type, String callId, String facilityId, String stationId, String inmateId,
        String number, String detail, Instant at) {
}
