package io.kinline.store;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Funds held for one call between setup and hangup. Besides the amount it remembers what the
 * billing engine needs to finish the call after a crash: the rate, the rounding, the call's
 * parties, when the call was accepted and when it was last seen alive (heartbeat).
 */
public record Reservation(
        long id,
        String callId,
        AccountKind kind,
        String accountKey,
        BigDecimal amount,
        BigDecimal rate,
        int roundingSeconds,
        int allowedSeconds,
        Instant createdAt,
        Status status,
        Instant acceptedAt,
        Instant heartbeatAt,
        BigDecimal charge,
        String facilityId,
        String stationId,
        String inmateId,
        String dialed) {

    public enum Status { OPEN, SETTLED, RELEASED }
}
