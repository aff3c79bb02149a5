package io.kinline.admin;

import java.time.Instant;

/**
 * A snapshot of one live call as the admin API shows it. The call layer builds these; {@code acceptedAt}
 * is null until the called party accepts.
 *
 * @param callId    the switch's id of the call (a UUID made at the INVITE): the key of its record and recording
 * @param state     the live-call state, e.g. {@code dialing}, {@code ringing}, {@code greeting}, {@code talking}
 * @param sipCallId the SIP Call-ID of the inmate leg's INVITE, or null
 */
public record ActiveCallView(
        String callId,
        String facility,
        String station,
        String inmateId,
        String dialed,
        String state,
        Instant startedAt,
        Instant acceptedAt,
        boolean privileged,
        String sipCallId) {

    public ActiveCallView(String callId, String facility, String station, String inmateId, String dialed, String state,
            Instant startedAt, Instant acceptedAt, boolean privileged) {
        this(callId, facility, station, inmateId, dialed, state, startedAt, acceptedAt, privileged, null);
    }
}
