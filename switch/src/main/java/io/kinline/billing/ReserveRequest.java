package io.kinline.billing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Everything a reservation records. The call parties are kept on the reservation so that
 * {@link Billing#reconcile} can write a complete call record after a crash.
 *
 * @param maxSeconds     longest the call may last (facility limit, phone hours...)
 * @param ratePerMinute  rate in currency units per minute
 * @param roundingSeconds billing increment (facility {@code billingRoundingSeconds}, usually 60)
 */
public record ReserveRequest(String callId, FundingSource source, int maxSeconds, BigDecimal ratePerMinute,
                             int roundingSeconds, String facilityId, String stationId, String inmateId,
                             String dialed) {

    public ReserveRequest {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(ratePerMinute, "ratePerMinute");
        if (maxSeconds <= 0) {
            throw new IllegalArgumentException("maxSeconds must be positive");
        }
        io.kinline.store.RateTable.checkRate(ratePerMinute, "per minute");
        if (roundingSeconds <= 0) {
            roundingSeconds = 60;
        }
    }

    public static ReserveRequest of(String callId, FundingSource source, int maxSeconds, BigDecimal rate) {
        return new ReserveRequest(callId, source, maxSeconds, rate, 60, null, null, null, null);
    }
}
