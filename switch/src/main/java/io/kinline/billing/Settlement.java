package io.kinline.billing;

import io.kinline.store.CallRecord;
import java.math.BigDecimal;

/**
 * Result of settling a call.
 *
 * @param record        the call record as stored (with billedSeconds and charge)
 * @param repeated      true if the call had already been settled and this was a no-op
 * @param billingFailed true if the charge could not be applied; the call record was still written
 *                      (with the computed charge) and the reservation stays OPEN for
 *                      {@link Billing#reconcile} to settle later
 */
public record Settlement(CallRecord record, boolean repeated, boolean billingFailed) {

    public long billedSeconds() {
        return record.billedSeconds();
    }

    public BigDecimal charge() {
        return record.charge();
    }
}
