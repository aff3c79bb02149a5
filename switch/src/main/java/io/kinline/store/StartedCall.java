package io.kinline.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A call that has started and has no call record yet (see {@link CallRecords#started}). The row exists
 * so that a crash before the record is written still leaves a trace: {@code Billing.reconcile()} turns
 * what is left of it into a call record at the next start.
 *
 * @param facilityId the station's facility when the call started, {@code null} if unknown
 * @param inmateId   the inmate the PIN named, {@code null} until then
 * @param sipCallId  the inmate leg's SIP Call-ID (searchable, never a key), {@code null} if unknown
 */
public record StartedCall(String callId, String facilityId, String stationId, String inmateId, Instant startedAt,
                          String sipCallId) {

    public StartedCall {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(stationId, "stationId");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    public StartedCall(String callId, String facilityId, String stationId, String inmateId, Instant startedAt) {
        this(callId, facilityId, stationId, inmateId, startedAt, null);
    }

    /** A call that has just started at a station; nobody is identified yet. */
    public static StartedCall of(String callId, String facilityId, String stationId, Instant startedAt) {
        return new StartedCall(callId, facilityId, stationId, null, startedAt);
    }

    /** This start noted with the inmate leg's SIP Call-ID. */
    public StartedCall withSipCallId(String id) {
        return new StartedCall(callId, facilityId, stationId, inmateId, startedAt, id);
    }
}
