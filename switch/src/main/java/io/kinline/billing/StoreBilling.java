package io.kinline.billing;

import io.kinline.log.CallMdc;
import io.kinline.store.AccountKind;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.ConflictException;
import io.kinline.store.Funding;
import io.kinline.store.Ledger;
import io.kinline.store.Money;
import io.kinline.store.Reservation;
import io.kinline.store.StartedCall;
import io.kinline.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Billing} over the store's {@link Ledger}: the money arithmetic and the order of the steps are
 * here, the SQL is the store's. Every public method is one (or, on failure, two) transactions.
 */
final class StoreBilling implements Billing {

    private static final Logger log = LoggerFactory.getLogger(StoreBilling.class);
    static final String SWITCH_RESTART = "switch_restart";

    /** What reconciling one OPEN reservation did. */
    enum Reconciled {
        /** Nothing: settled meanwhile, or alive again. */
        NONE,
        /** Its call record existed: its charge applied. */
        FROM_RECORD,
        /** Accepted: billed to the last heartbeat, recorded {@code cut_off}. */
        FROM_HEARTBEAT,
        /** Never accepted: hold released, recorded {@code failed}. */
        RELEASED
    }

    private final Store store;
    private final Ledger ledger;
    private final Clock clock;
    /** The node whose calls this engine reconciles at startup; null outside a node. */
    private final String nodeId;

    StoreBilling(Store store, Clock clock) {
        this.store = store;
        this.ledger = store.ledger();
        this.clock = clock;
        this.nodeId = store.nodeId();
    }

    /** One transaction over the ledger (every ledger call inside joins it). */
    private <T> T tx(java.util.function.Supplier<T> work) {
        return store.inTransaction(work);
    }

    // ------------------------------------------------------------------ money arithmetic

    /** Seconds from {@code from} to {@code to}, any started second counted, never negative. */
    static long talkSeconds(Instant from, Instant to) {
        if (from == null || to == null || !to.isAfter(from)) {
            return 0;
        }
        Duration d = Duration.between(from, to);
        return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }

    /** Rounds talk time up to the billing increment (60 s = whole minutes). */
    static long roundUp(long seconds, int increment) {
        if (seconds <= 0) {
            return 0;
        }
        return ((seconds + increment - 1) / increment) * increment;
    }

    /** rate × seconds / 60, HALF_UP to cents. */
    static BigDecimal cost(BigDecimal ratePerMinute, long billedSeconds) {
        return Money.cents(ratePerMinute.multiply(BigDecimal.valueOf(billedSeconds))
                .divide(BigDecimal.valueOf(60), 10, RoundingMode.HALF_UP));
    }

    // ------------------------------------------------------------------ reserve

    @Override
    public ReserveResult reserve(ReserveRequest req) {
        try {
            return tx(() -> reserveTx(req));
        } catch (ConflictException raced) {
            // Two reserves for the same callId at once: the loser sees the winner's reservation.
            Optional<Reservation> r = store.accounts().reservation(req.callId());
            if (r.isPresent()) {
                return new ReserveResult.Reserved(r.get(), r.get().allowedSeconds());
            }
            throw raced;
        }
    }

    private ReserveResult reserveTx(ReserveRequest req) {
        Optional<Reservation> existing = ledger.reservation(req.callId(), false);
        if (existing.isPresent()) {
            return new ReserveResult.Reserved(existing.get(), existing.get().allowedSeconds());
        }
        FundingSource src = req.source();
        // Lock the account row: concurrent reservations against one BTN queue here, so each sees
        // the holds of those before it.
        Optional<Ledger.Balance> acct = ledger.lockAccount(src.kind(), src.key());
        if (acct.isEmpty()) {
            return new ReserveResult.NoAccount(src.kind(), src.key());
        }
        BigDecimal available = acct.get().available();
        BigDecimal rate = req.ratePerMinute();
        BigDecimal amount;
        int allowed;
        if (rate.signum() == 0) {
            amount = Money.ZERO;
            allowed = req.maxSeconds();
        } else {
            BigDecimal fullCost = cost(rate, roundUp(req.maxSeconds(), req.roundingSeconds()));
            if (available.compareTo(fullCost) >= 0) {
                amount = fullCost;
                allowed = req.maxSeconds();
            } else {
                // Hold only what buys whole minutes; leftover cents stay available.
                long minutes = available.divide(rate, 0, RoundingMode.DOWN).longValue();
                allowed = (int) Math.min(req.maxSeconds(), minutes * 60);
                if (allowed < 60) {
                    return new ReserveResult.InsufficientFunds(src.kind(), src.key(), available.max(Money.ZERO));
                }
                amount = Money.cents(rate.multiply(BigDecimal.valueOf(minutes)));
            }
        }
        // Belt and braces: the hold is conditional, so it cannot overdraw even if the lock were missing.
        if (!ledger.hold(src.kind(), src.key(), amount)) {
            return new ReserveResult.InsufficientFunds(src.kind(), src.key(), available.max(Money.ZERO));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Reservation r = ledger.openReservation(new Ledger.NewReservation(req.callId(), src.kind(), src.key(), amount,
                rate, req.roundingSeconds(), allowed, now, req.facilityId(), req.stationId(), req.inmateId(),
                req.dialed()));
        log.debug("reserved {} on {} {} for call {}: {} s", amount, src.kind(), src.key(), req.callId(), allowed);
        return new ReserveResult.Reserved(r, allowed);
    }

    // ------------------------------------------------------------------ checkpoints

    @Override
    public void accepted(String callId, Instant at) {
        ledger.accepted(callId, at);
    }

    @Override
    public void heartbeat(String callId, Instant at) {
        ledger.heartbeat(callId, at);
    }

    // ------------------------------------------------------------------ settle

    /** Billed seconds and charge of a finished call against its reservation. */
    private record Bill(long seconds, BigDecimal charge) {
        static final Bill FREE = new Bill(0, Money.ZERO);
    }

    private static Bill bill(CallRecord draft, Reservation r) {
        if (r == null || !draft.outcome().billable() || draft.acceptedAt() == null) {
            return Bill.FREE;
        }
        return bill(r, draft.acceptedAt(), draft.endedAt());
    }

    private static Bill bill(Reservation r, Instant from, Instant to) {
        long secs = roundUp(talkSeconds(from, to), r.roundingSeconds());
        if (r.allowedSeconds() > 0 && secs > r.allowedSeconds()) {
            // A call cut off at its limit ends a few seconds later, after the time-limit
            // announcement: that is not talk time, and the record must not claim more billed
            // seconds than its (capped) charge pays for.
            secs = r.allowedSeconds();
        }
        BigDecimal charge = cost(r.rate(), secs).min(r.amount()); // never more than was held
        return new Bill(secs, charge);
    }

    private static Funding funding(AccountKind k) {
        return k == AccountKind.DEBIT ? Funding.DEBIT : Funding.PREPAID;
    }

    @Override
    public Settlement settle(CallRecord draft) {
        try (var mdc = CallMdc.open(draft.callId())) {
            try {
                return tx(() -> settleTx(draft));
            } catch (RuntimeException e) {
                log.error("settlement of call {} failed; writing the call record alone", draft.callId(), e);
                // Keep the CDR no matter what. It carries the computed charge; the reservation stays
                // OPEN, so reconcile() applies exactly that charge later (once).
                Reservation r = store.accounts().reservation(draft.callId()).orElse(null);
                Bill b = r != null && r.status() == Reservation.Status.OPEN ? bill(draft, r) : Bill.FREE;
                CallRecord rec = store.calls().record(draft.withBilling(b.seconds(), b.charge()));
                return new Settlement(rec, false, true);
            }
        }
    }

    private Settlement settleTx(CallRecord draft) {
        Reservation r = ledger.reservation(draft.callId(), true).orElse(null);
        Optional<CallRecord> existing = ledger.callRecord(draft.callId());
        if (r == null || r.status() != Reservation.Status.OPEN) {
            if (existing.isPresent()) {
                return new Settlement(existing.get(), true, false); // already settled: no-op
            }
            // Free call, or a reservation released earlier: nothing to charge. A free call that
            // was talked still gets its talk time (whole minutes) so monthly-minute limits see it.
            long secs = r == null && draft.outcome().billable() && draft.acceptedAt() != null
                    ? roundUp(talkSeconds(draft.acceptedAt(), draft.endedAt()), 60) : 0;
            CallRecord rec = draft.withBilling(secs, Money.ZERO);
            if (r != null) {
                rec = rec.withFunding(funding(r.kind()));
            }
            return new Settlement(ledger.recordIfAbsent(rec), false, false);
        }
        if (existing.isPresent()) {
            // A record was written without its charge being applied (failed settlement, or the
            // record was written directly): apply the recorded charge, once.
            applyCharge(r, existing.get().charge().min(r.amount()));
            return new Settlement(existing.get(), true, false);
        }
        Bill b = bill(draft, r);
        applyCharge(r, b.charge());
        CallRecord rec = ledger.recordIfAbsent(draft.withBilling(b.seconds(), b.charge()).withFunding(funding(r.kind())));
        log.info("call {} settled: {} s, {} on {} {}", draft.callId(), b.seconds(), b.charge(), r.kind(), r.accountKey());
        return new Settlement(rec, false, false);
    }

    /** Debits the charge, drops the hold and closes the reservation. Caller holds the reservation lock. */
    private void applyCharge(Reservation r, BigDecimal charge) {
        ledger.charge(r.kind(), r.accountKey(), charge, r.amount());
        ledger.closeReservation(r.id(),
                charge.signum() == 0 && r.acceptedAt() == null ? Reservation.Status.RELEASED : Reservation.Status.SETTLED,
                charge);
    }

    /** Drops the hold, charging nothing. Caller holds the reservation lock. */
    private void releaseHold(Reservation r) {
        ledger.releaseHold(r.kind(), r.accountKey(), r.amount());
        ledger.closeReservation(r.id(), Reservation.Status.RELEASED, Money.ZERO);
    }

    @Override
    public void release(String callId) {
        tx(() -> {
            Optional<Reservation> r = ledger.reservation(callId, true);
            if (r.isPresent() && r.get().status() == Reservation.Status.OPEN) {
                releaseHold(r.get());
            }
            return null;
        });
    }

    // ------------------------------------------------------------------ reconcile

    @Override
    public ReconcileReport reconcile() {
        return reconcile(null, nodeId);
    }

    @Override
    public ReconcileReport reconcileNode(String node) {
        return reconcile(null, java.util.Objects.requireNonNull(node, "node"));
    }

    @Override
    public ReconcileReport reconcile(Duration staleAfter) {
        return reconcile(clock.instant().minus(staleAfter), null);
    }

    /**
     * @param aliveCutoff null at startup (every OPEN reservation of {@code node} is an orphan), else the
     *                    sweeper's bound: only reservations silent since then, of any node
     * @param node        whose calls, at startup; rows that name no node are included
     */
    private ReconcileReport reconcile(Instant aliveCutoff, String node) {
        List<String> fromRecord = new ArrayList<>();
        List<String> fromHeartbeat = new ArrayList<>();
        List<String> released = new ArrayList<>();
        List<String> fromStart = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<Reservation> candidates = aliveCutoff != null ? store.accounts().openReservations()
                : ledger.openReservations(node);
        for (Reservation open : candidates) {
            if (aliveCutoff != null && lastAlive(open).isAfter(aliveCutoff)) {
                continue; // a live call
            }
            try {
                switch (tx(() -> reconcileOne(open.callId(), aliveCutoff))) {
                    case FROM_RECORD -> fromRecord.add(open.callId());
                    case FROM_HEARTBEAT -> fromHeartbeat.add(open.callId());
                    case RELEASED -> released.add(open.callId());
                    case NONE -> { } // settled meanwhile
                }
            } catch (RuntimeException e) {
                log.error("cannot reconcile reservation of call {}", open.callId(), e);
                failed.add(open.callId());
            }
        }
        // After the reservations (whose records, written above, removed their calls' start rows): the
        // calls that started and never got a record. Only at startup: a call in the IVR, or a free call,
        // has no heartbeat, so a sweeper could not tell it from one a crash left behind.
        if (aliveCutoff == null) {
            for (StartedCall started : ledger.unfinished(node)) {
                try {
                    if (tx(() -> recordStarted(started.callId()))) {
                        fromStart.add(started.callId());
                    }
                } catch (RuntimeException e) {
                    log.error("cannot record the started call {}", started.callId(), e);
                    failed.add(started.callId());
                }
            }
        }
        if (!fromRecord.isEmpty() || !fromHeartbeat.isEmpty() || !released.isEmpty() || !fromStart.isEmpty()
                || !failed.isEmpty()) {
            log.warn("reconciled calls left open: {} settled from call records, {} billed to last heartbeat, "
                    + "{} released, {} recorded from their start, {} failed", fromRecord.size(), fromHeartbeat.size(),
                    released.size(), fromStart.size(), failed.size());
        }
        return new ReconcileReport(List.copyOf(fromRecord), List.copyOf(fromHeartbeat), List.copyOf(released),
                List.copyOf(fromStart), List.copyOf(failed));
    }

    /**
     * Writes the record of a call that started and has none: killed before funding (in the IVR), or
     * after its hold was released but before its record. As for a reservation that was never accepted:
     * {@code failed / switch_restart}, nothing billed, nothing charged (and nothing held: there is no
     * OPEN reservation). The record's write removes the start row. Returns whether a record was written.
     */
    private boolean recordStarted(String callId) {
        StartedCall s = ledger.lockStarted(callId).orElse(null);
        if (s == null) {
            return false; // recorded meanwhile
        }
        Reservation r = ledger.reservation(callId, false).orElse(null);
        if (r != null && r.status() == Reservation.Status.OPEN) {
            return false; // its reservation could not be reconciled: both stay for the next run
        }
        // No record can exist here: a record's write deletes the start row in its own transaction, and
        // the row is still there (locked). A released reservation knows whom the call was for; the start
        // row knows the rest.
        String inmate = s.inmateId() != null ? s.inmateId() : r == null ? null : r.inmateId();
        String dialed = r == null ? null : r.dialed();
        ledger.recordIfAbsent(CallRecord.builder(callId).facility(s.facilityId()).station(s.stationId())
                .inmateId(inmate).dialed(dialed).btn(dialed).funding(Funding.FREE).startedAt(s.startedAt())
                .outcome(CallOutcome.FAILED).reason(SWITCH_RESTART).billedSeconds(0).charge(Money.ZERO).build());
        return true;
    }

    private static Instant lastAlive(Reservation r) {
        return r.heartbeatAt() != null && r.heartbeatAt().isAfter(r.createdAt()) ? r.heartbeatAt() : r.createdAt();
    }

    private Reconciled reconcileOne(String callId, Instant aliveCutoff) {
        Reservation r = ledger.reservation(callId, true).orElse(null);
        if (r == null || r.status() != Reservation.Status.OPEN) {
            return Reconciled.NONE;
        }
        if (aliveCutoff != null && lastAlive(r).isAfter(aliveCutoff)) {
            return Reconciled.NONE; // heartbeat arrived since we listed it
        }
        Optional<CallRecord> existing = ledger.callRecord(callId);
        if (existing.isPresent()) {
            applyCharge(r, existing.get().charge().min(r.amount()));
            return Reconciled.FROM_RECORD;
        }
        String btn = r.kind() == AccountKind.PREPAID ? r.accountKey() : r.dialed();
        CallRecord.Builder b = CallRecord.builder(callId).facility(r.facilityId()).station(r.stationId())
                .inmateId(r.inmateId()).dialed(r.dialed()).btn(btn).funding(funding(r.kind()))
                .startedAt(r.createdAt()).reason(SWITCH_RESTART);
        if (r.acceptedAt() != null && r.heartbeatAt() != null && r.heartbeatAt().isAfter(r.acceptedAt())) {
            Bill bill = bill(r, r.acceptedAt(), r.heartbeatAt());
            applyCharge(r, bill.charge());
            ledger.recordIfAbsent(b.acceptedAt(r.acceptedAt()).endedAt(r.heartbeatAt())
                    .outcome(CallOutcome.CUT_OFF).billedSeconds(bill.seconds()).charge(bill.charge()).build());
            return Reconciled.FROM_HEARTBEAT;
        }
        if (r.acceptedAt() != null) {
            // Accepted means bridged: the call was talked. As in settle, any started second counts, so
            // a call killed before its first heartbeat (e.g. right after a normal hangup, before the
            // settlement committed) costs one increment, not nothing.
            long secs = roundUp(1, r.roundingSeconds());
            Bill bill = new Bill(secs, cost(r.rate(), secs).min(r.amount()));
            applyCharge(r, bill.charge());
            ledger.recordIfAbsent(b.acceptedAt(r.acceptedAt()).endedAt(r.acceptedAt())
                    .outcome(CallOutcome.CUT_OFF).billedSeconds(bill.seconds()).charge(bill.charge()).build());
            return Reconciled.FROM_HEARTBEAT;
        }
        releaseHold(r);
        ledger.recordIfAbsent(b.acceptedAt(r.acceptedAt()).endedAt(r.heartbeatAt())
                .outcome(CallOutcome.FAILED).billedSeconds(0).charge(Money.ZERO).build());
        return Reconciled.RELEASED;
    }
}
