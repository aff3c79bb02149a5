package io.kinline.admin;

import java.time.Instant;

/**
 * A snapshot of one live call as the admin API shows it. The call layer builds these; {@code acceptedAt}
 * is null until the called party accepts.
 *
 * @param state the live-call state, e.g. {@code dialing}, {@code ringing}, {@code greeting}, {@code talking}
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
        boolean privileged) {
}
