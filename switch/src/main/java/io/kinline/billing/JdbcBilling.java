package io.kinline.billing;

import static io.kinline.store.jdbc.Db.str;

import io.kinline.store.AccountKind;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.ConflictException;
import io.kinline.store.Funding;
import io.kinline.store.Money;
import io.kinline.store.Reservation;
import io.kinline.store.StartedCall;
import io.kinline.store.Store;
import io.kinline.store.StoreException;
import io.kinline.store.jdbc.Db;
import io.kinline.store.jdbc.JdbcCallRecords;
import io.kinline.store.jdbc.JdbcStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@link Billing} over the JDBC store; every public method is one (or, on failure, two) transactions. */
final class JdbcBilling implements Billing {

    private static final Logger log = LoggerFactory.getLogger(JdbcBilling.class);
    static final String SWITCH_RESTART = "switch_restart";

    private final Store store;
    private final Db db;
    private final Clock clock;
    /** The node whose calls this engine reserves, settles and reconciles; null outside a node. */
    private final String nodeId;

    JdbcBilling(Store store, Clock clock) {
        if (!(store instanceof JdbcStore js)) {
            throw new IllegalArgumentException("billing needs the JDBC store");
        }
        this.store = store;
        this.db = js.db();
        this.clock = clock;
        this.nodeId = store.nodeId();
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
            return db.tx(c -> reserveTx(c, req));
        } catch (ConflictException raced) {
            // Two reserves for the same callId at once: the loser sees the winner's reservation.
            Optional<Reservation> r = store.accounts().reservation(req.callId());
            if (r.isPresent()) {
                return new ReserveResult.Reserved(r.get(), r.get().allowedSeconds());
            }
            throw raced;
        }
    }

    private ReserveResult reserveTx(Connection c, ReserveRequest req) throws SQLException {
        Optional<Reservation> existing = reservationForUpdate(c, req.callId(), false);
        if (existing.isPresent()) {
            return new ReserveResult.Reserved(existing.get(), existing.get().allowedSeconds());
        }
        FundingSource src = req.source();
        String table = table(src.kind());
        String keyCol = keyColumn(src.kind());
        // Lock the account row: concurrent reservations against one BTN queue here, so each sees
        // the holds of those before it.
        Optional<BigDecimal[]> acct = Db.one(c, "SELECT balance, held FROM " + table + " WHERE " + keyCol
                + " = ? FOR UPDATE", rs -> new BigDecimal[] {Db.money(rs, "balance"), Db.money(rs, "held")}, src.key());
        if (acct.isEmpty()) {
            return new ReserveResult.NoAccount(src.kind(), src.key());
        }
        BigDecimal available = acct.get()[0].subtract(acct.get()[1]);
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
        // Belt and braces: the conditional update cannot overdraw even if the lock were missing.
        int n = Db.update(c, "UPDATE " + table + " SET held = held + ? WHERE " + keyCol + " = ? AND balance - held >= ?",
                amount, src.key(), amount);
        if (n != 1) {
            return new ReserveResult.InsufficientFunds(src.kind(), src.key(), available.max(Money.ZERO));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Db.update(c, "INSERT INTO reservation (call_id, account_kind, account_key, amount, rate, rounding_seconds, "
                        + "allowed_seconds, created_at, status, facility_id, station_id, inmate_id, dialed, node_id) "
                        + "VALUES (?,?,?,?,?,?,?,?,'OPEN',?,?,?,?,?)",
                req.callId(), src.kind(), src.key(), amount, rate, req.roundingSeconds(), allowed, now,
                str(req.facilityId()), str(req.stationId()), str(req.inmateId()), str(req.dialed()), str(nodeId));
        Reservation r = reservationForUpdate(c, req.callId(), false).orElseThrow();
        log.debug("reserved {} on {} {} for call {}: {} s", amount, src.kind(), src.key(), req.callId(), allowed);
        return new ReserveResult.Reserved(r, allowed);
    }

    private static String table(AccountKind k) {
        return k == AccountKind.DEBIT ? "debit_account" : "prepaid_account";
    }

    private static String keyColumn(AccountKind k) {
        return k == AccountKind.DEBIT ? "inmate_id" : "btn";
    }

    private static Optional<Reservation> reservationForUpdate(Connection c, String callId, boolean lock)
            throws SQLException {
        return Db.one(c, "SELECT * FROM reservation WHERE call_id = ?" + (lock ? " FOR UPDATE" : ""),
                io.kinline.store.jdbc.JdbcAccounts::reservation, callId);
    }

    // ------------------------------------------------------------------ checkpoints

    @Override
    public void accepted(String callId, Instant at) {
        db.tx(c -> Db.update(c, "UPDATE reservation SET accepted_at = COALESCE(accepted_at, ?), heartbeat_at = ? "
                + "WHERE call_id = ? AND status = 'OPEN'", at, at, callId));
    }

    @Override
    public void heartbeat(String callId, Instant at) {
        db.tx(c -> Db.update(c, "UPDATE reservation SET heartbeat_at = ? WHERE call_id = ? AND status = 'OPEN' "
                + "AND accepted_at IS NOT NULL AND (heartbeat_at IS NULL OR heartbeat_at < ?)", at, callId, at));
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
        String prev = MDC.get("callId");
        MDC.put("callId", draft.callId());
        try {
            try {
                return db.tx(c -> settleTx(c, draft));
            } catch (RuntimeException e) {
                log.error("settlement of call {} failed; writing the call record alone", draft.callId(), e);
                // Keep the CDR no matter what. It carries the computed charge; the reservation stays
                // OPEN, so reconcile() applies exactly that charge later (once).
                Reservation r = store.accounts().reservation(draft.callId()).orElse(null);
                Bill b = r != null && r.status() == Reservation.Status.OPEN ? bill(draft, r) : Bill.FREE;
                CallRecord rec = store.calls().record(draft.withBilling(b.seconds(), b.charge()));
                return new Settlement(rec, false, true);
            }
        } finally {
            if (prev == null) {
                MDC.remove("callId");
            } else {
                MDC.put("callId", prev);
            }
        }
    }

    private Settlement settleTx(Connection c, CallRecord draft) throws SQLException {
        Reservation r = reservationForUpdate(c, draft.callId(), true).orElse(null);
        Optional<CallRecord> existing = JdbcCallRecords.find(c, draft.callId());
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
                rec = withFunding(rec, funding(r.kind()));
            }
            return new Settlement(JdbcCallRecords.insertIfAbsent(c, rec, nodeId), false, false);
        }
        if (existing.isPresent()) {
            // A record was written without its charge being applied (failed settlement, or the
            // record was written directly): apply the recorded charge, once.
            applyCharge(c, r, existing.get().charge().min(r.amount()));
            return new Settlement(existing.get(), true, false);
        }
        Bill b = bill(draft, r);
        applyCharge(c, r, b.charge());
        CallRecord rec = withFunding(draft.withBilling(b.seconds(), b.charge()), funding(r.kind()));
        rec = JdbcCallRecords.insertIfAbsent(c, rec, nodeId);
        log.info("call {} settled: {} s, {} on {} {}", draft.callId(), b.seconds(), b.charge(), r.kind(), r.accountKey());
        return new Settlement(rec, false, false);
    }

    private static CallRecord withFunding(CallRecord r, Funding f) {
        if (r.funding() == f) {
            return r;
        }
        return new CallRecord(r.callId(), r.facility(), r.station(), r.inmateId(), r.dialed(), r.btn(), f,
                r.startedAt(), r.answeredAt(), r.acceptedAt(), r.endedAt(), r.outcome(), r.reason(),
                r.billedSeconds(), r.charge(), r.recording(), r.privileged(), r.inmateQuality(), r.calledQuality());
    }

    /** Debits the charge, drops the hold and closes the reservation. Caller holds the reservation lock. */
    private static void applyCharge(Connection c, Reservation r, BigDecimal charge) throws SQLException {
        String table = table(r.kind());
        int n = Db.update(c, "UPDATE " + table + " SET balance = balance - ?, held = held - ? WHERE "
                + keyColumn(r.kind()) + " = ?", charge, r.amount(), r.accountKey());
        if (n != 1) {
            throw new StoreException("account " + r.kind() + " " + r.accountKey() + " vanished");
        }
        Db.update(c, "UPDATE reservation SET status = ?, charge = ? WHERE id = ? AND status = 'OPEN'",
                charge.signum() == 0 && r.acceptedAt() == null ? Reservation.Status.RELEASED : Reservation.Status.SETTLED,
                charge, r.id());
    }

    @Override
    public void release(String callId) {
        db.tx(c -> {
            Optional<Reservation> r = reservationForUpdate(c, callId, true);
            if (r.isPresent() && r.get().status() == Reservation.Status.OPEN) {
                Reservation res = r.get();
                Db.update(c, "UPDATE " + table(res.kind()) + " SET held = held - ? WHERE " + keyColumn(res.kind())
                        + " = ?", res.amount(), res.accountKey());
                Db.update(c, "UPDATE reservation SET status = 'RELEASED', charge = 0 WHERE id = ?", res.id());
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
                : db.tx(c -> openReservations(c, node));
        for (Reservation open : candidates) {
            if (aliveCutoff != null && lastAlive(open).isAfter(aliveCutoff)) {
                continue; // a live call
            }
            try {
                String what = db.tx(c -> reconcileOne(c, open.callId(), aliveCutoff, node));
                switch (what) {
                    case "record" -> fromRecord.add(open.callId());
                    case "heartbeat" -> fromHeartbeat.add(open.callId());
                    case "released" -> released.add(open.callId());
                    default -> { } // settled meanwhile
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
            for (StartedCall started : db.tx(c -> JdbcCallRecords.unfinished(c, node))) {
                try {
                    if (db.tx(c -> recordStarted(c, started.callId(), node))) {
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
    private static boolean recordStarted(Connection c, String callId, String node) throws SQLException {
        StartedCall s = JdbcCallRecords.startedForUpdate(c, callId).orElse(null);
        if (s == null) {
            return false; // recorded meanwhile
        }
        Reservation r = reservationForUpdate(c, callId, false).orElse(null);
        if (r != null && r.status() == Reservation.Status.OPEN) {
            return false; // its reservation could not be reconciled: both stay for the next run
        }
        // No record can exist here: a record's write deletes the start row in its own transaction, and
        // the row is still there (locked). A released reservation knows whom the call was for; the start
        // row knows the rest.
        String inmate = s.inmateId() != null ? s.inmateId() : r == null ? null : r.inmateId();
        String dialed = r == null ? null : r.dialed();
        JdbcCallRecords.insertIfAbsent(c, CallRecord.builder(callId).facility(s.facilityId()).station(s.stationId())
                .inmateId(inmate).dialed(dialed).btn(dialed).funding(Funding.FREE).startedAt(s.startedAt())
                .outcome(CallOutcome.FAILED).reason(SWITCH_RESTART).billedSeconds(0).charge(Money.ZERO).build(), node);
        return true;
    }

    private static Instant lastAlive(Reservation r) {
        return r.heartbeatAt() != null && r.heartbeatAt().isAfter(r.createdAt()) ? r.heartbeatAt() : r.createdAt();
    }

    /** The OPEN reservations of {@code node}'s calls, and those that name no node (older than node ids). */
    private static List<Reservation> openReservations(Connection c, String node) throws SQLException {
        return node == null
                ? Db.list(c, "SELECT * FROM reservation WHERE status = 'OPEN' AND node_id IS NULL ORDER BY id",
                        io.kinline.store.jdbc.JdbcAccounts::reservation)
                : Db.list(c, "SELECT * FROM reservation WHERE status = 'OPEN' AND (node_id = ? OR node_id IS NULL) "
                        + "ORDER BY id", io.kinline.store.jdbc.JdbcAccounts::reservation, node);
    }

    /** Finishes one reservation; the record it writes names {@code node} (the sweeper's: this node). */
    private String reconcileOne(Connection c, String callId, Instant aliveCutoff, String node) throws SQLException {
        String writer = node != null ? node : nodeId;
        Reservation r = reservationForUpdate(c, callId, true).orElse(null);
        if (r == null || r.status() != Reservation.Status.OPEN) {
            return "none";
        }
        if (aliveCutoff != null && lastAlive(r).isAfter(aliveCutoff)) {
            return "none"; // heartbeat arrived since we listed it
        }
        Optional<CallRecord> existing = JdbcCallRecords.find(c, callId);
        if (existing.isPresent()) {
            applyCharge(c, r, existing.get().charge().min(r.amount()));
            return "record";
        }
        String btn = r.kind() == AccountKind.PREPAID ? r.accountKey() : r.dialed();
        CallRecord.Builder b = CallRecord.builder(callId).facility(r.facilityId()).station(r.stationId())
                .inmateId(r.inmateId()).dialed(r.dialed()).btn(btn).funding(funding(r.kind()))
                .startedAt(r.createdAt()).reason(SWITCH_RESTART);
        if (r.acceptedAt() != null && r.heartbeatAt() != null && r.heartbeatAt().isAfter(r.acceptedAt())) {
            Bill bill = bill(r, r.acceptedAt(), r.heartbeatAt());
            applyCharge(c, r, bill.charge());
            JdbcCallRecords.insertIfAbsent(c, b.acceptedAt(r.acceptedAt()).endedAt(r.heartbeatAt())
                    .outcome(CallOutcome.CUT_OFF).billedSeconds(bill.seconds()).charge(bill.charge()).build(), writer);
            return "heartbeat";
        }
        if (r.acceptedAt() != null) {
            // Accepted means bridged: the call was talked. As in settle, any started second counts, so
            // a call killed before its first heartbeat (e.g. right after a normal hangup, before the
            // settlement committed) costs one increment, not nothing.
            long secs = roundUp(1, r.roundingSeconds());
            Bill bill = new Bill(secs, cost(r.rate(), secs).min(r.amount()));
            applyCharge(c, r, bill.charge());
            JdbcCallRecords.insertIfAbsent(c, b.acceptedAt(r.acceptedAt()).endedAt(r.acceptedAt())
                    .outcome(CallOutcome.CUT_OFF).billedSeconds(bill.seconds()).charge(bill.charge()).build(), writer);
            return "heartbeat";
        }
        Db.update(c, "UPDATE " + table(r.kind()) + " SET held = held - ? WHERE " + keyColumn(r.kind()) + " = ?",
                r.amount(), r.accountKey());
        Db.update(c, "UPDATE reservation SET status = 'RELEASED', charge = 0 WHERE id = ?", r.id());
        JdbcCallRecords.insertIfAbsent(c, b.acceptedAt(r.acceptedAt()).endedAt(r.heartbeatAt())
                .outcome(CallOutcome.FAILED).billedSeconds(0).charge(Money.ZERO).build(), writer);
        return "released";
    }
}
