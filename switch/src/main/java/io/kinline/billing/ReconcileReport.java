package io.kinline.billing;

import java.util.List;

/**
 * What {@link Billing#reconcile} did, by callId.
 *
 * @param settledFromRecord   OPEN reservations whose call record existed: its charge applied
 * @param billedFromHeartbeat OPEN, accepted reservations: billed to the last heartbeat, recorded {@code cut_off}
 * @param released            OPEN, never accepted reservations: hold released, recorded {@code failed}
 * @param recordedFromStart   calls that left only their start row (killed in the IVR before any reservation, or
 *                            after their hold was released but before their record): recorded {@code failed}
 * @param failed              calls that could not be reconciled (left as they were, for the next run)
 */
public record ReconcileReport(List<String> settledFromRecord, List<String> billedFromHeartbeat,
                              List<String> released, List<String> recordedFromStart, List<String> failed) {

    public int total() {
        return settledFromRecord.size() + billedFromHeartbeat.size() + released.size() + recordedFromStart.size();
    }
}
