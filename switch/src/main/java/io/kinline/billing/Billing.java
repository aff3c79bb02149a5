package io.kinline.billing;

import io.kinline.store.CallRecord;
import io.kinline.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;

/**
 * Reservation-based call billing.
 *
 * <ol>
 *   <li>{@link #reserve} at call setup holds funds (available = balance − held) and tells how long
 *       the call may last.</li>
 *   <li>{@link #accepted} and {@link #heartbeat} checkpoint the talk time on the reservation.</li>
 *   <li>{@link #settle} at hangup charges, releases the hold and writes the call record in one
 *       transaction; idempotent by callId.</li>
 *   <li>{@link #reconcile} at startup finishes reservations a crash left OPEN, and records the calls a
 *       crash ended before they had a reservation (their start rows, see {@code CallRecords.started}).</li>
 * </ol>
 */
public interface Billing {

    static Billing create(Store store) {
        return new StoreBilling(store, Clock.systemUTC());
    }

    static Billing create(Store store, Clock clock) {
        return new StoreBilling(store, clock);
    }

    /** Idempotent by callId: a second call returns the existing reservation. */
    ReserveResult reserve(ReserveRequest request);

    default ReserveResult reserve(String callId, FundingSource source, int maxSeconds, BigDecimal ratePerMinute) {
        return reserve(ReserveRequest.of(callId, source, maxSeconds, ratePerMinute));
    }

    /** Records that the called party accepted (billing starts here). No-op without a reservation. */
    void accepted(String callId, Instant at);

    /** Records that the call was alive at {@code at}, so a crash loses at most one interval. */
    void heartbeat(String callId, Instant at);

    /**
     * Finishes a call: computes billed seconds (acceptedAt → endedAt, rounded up to the
     * reservation's increment) and the charge (capped at the reserved amount) for billable
     * outcomes, debits it, releases the hold and writes the record, all in one transaction.
     * Calls without a reservation (free/privileged, or denied before funding) are written with
     * charge 0. Idempotent: a second settle returns the first result with {@code repeated = true}.
     * If the billing transaction fails the record is still written in a separate transaction.
     * The {@code billedSeconds}/{@code charge} fields of {@code draft} are ignored.
     */
    Settlement settle(CallRecord draft);

    /** Releases the hold without charging (e.g. setup failed before a record exists). */
    void release(String callId);

    /**
     * Finishes every OPEN reservation of this node ({@code Store.nodeId()}) after a restart, then writes a
     * {@code failed / switch_restart} record (no charge) for every call of this node that started and still
     * has no record; see docs/STORAGE.md for the policy. Rows that name no node (older than node ids) count
     * as this node's; the other nodes' calls are left alone. Run it before the switch takes calls: it cannot
     * tell a live call from an orphan.
     */
    ReconcileReport reconcile();

    /**
     * As {@link #reconcile()}, for the calls of node {@code nodeId}: for an operator adopting the calls of
     * a node that is gone for good ({@code kinline reconcile --node}). Never for a node that still runs.
     */
    ReconcileReport reconcileNode(String nodeId);

    /**
     * Finishes only OPEN reservations whose last sign of life (heartbeat, else creation) is older
     * than {@code staleAfter}: safe to run periodically while calls are up, or with several
     * switches sharing one database, provided live calls heartbeat more often than that. Started
     * calls without a reservation are left alone (a call in the IVR, or a free call, has no
     * heartbeat): only {@link #reconcile()} records them.
     */
    ReconcileReport reconcile(java.time.Duration staleAfter);
}
