package io.kinline.billing;

import java.util.List;

/** What {@link Billing#reconcile} did, by callId. */
public record ReconcileReport(List<String> settledFromRecord, List<String> billedFromHeartbeat,
                              List<String> released, List<String> failed) {

    public int total() {
        return settledFromRecord.size() + billedFromHeartbeat.size() + released.size();
    }
}
