package io.kinline.script;

import java.time.Instant;
import java.util.Objects;

/**
 * What the B2BUA knows when the handset's INVITE arrives.
 *
 * @param callId     the call's id (logs, MDC, file names, records)
 * @param stationId  the handset or tablet (the INVITE's From user, or the gateway port)
 * @param dialedUser the Request-URI user part when it may be a number the inmate dialed, else null (an
 *                   access code such as 1001): as {@link io.kinline.policy.NumberPlan#dialledInInvite} decides
 * @param offhookAt  when the INVITE arrived
 */
public record CallStart(String callId, String stationId, String dialedUser, Instant offhookAt) {
    public CallStart {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(stationId, "stationId");
        Objects.requireNonNull(offhookAt, "offhookAt");
    }
}
