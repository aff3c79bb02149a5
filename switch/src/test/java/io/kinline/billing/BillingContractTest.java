package io.kinline.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.store.AccountKind;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallQuery;
import io.kinline.store.CallRecord;
import io.kinline.store.Facility;
import io.kinline.store.Funding;
import io.kinline.store.Inmate;
import io.kinline.store.PrepaidAccount;
import io.kinline.store.Reservation;
import io.kinline.store.StartedCall;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.kinline.store.jdbc.Db;
import io.kinline.store.jdbc.JdbcStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Billing behaviour, run against every supported database by the subclasses. */
abstract class BillingContractTest {

    static final Instant T0 = Instant.parse("2026-03-10T15:00:00Z");
    static final BigDecimal RATE = new BigDecimal("0.06");
    static final String BTN = "+15735550100";

    @TempDir
    Path dataDir;

    StoreConfig config;
    Store store;
    Billing billing;

    abstract StoreConfig newConfig(Path dir);

    @BeforeEach
    void open() {
        config = newConfig(dataDir);
        store = Store.open(config);
        billing = Billing.create(store, Clock.fixed(T0, ZoneOffset.UTC));
        store.facilities().create(Facility.builder("f1").name("F1").build());
        store.inmates().create(Inmate.of("A1", "f1", "John", "en", null), "1234");
    }

    @AfterEach
    void close() {
        store.close();
    }

    void crashAndRestart() {
        store.close(); // nothing settled: as if the process died
        store = Store.open(config);
        billing = Billing.create(store, Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
    }

    PrepaidAccount prepaid(String btn) {
        return store.accounts().prepaid(btn).orElseThrow();
    }

    static BigDecimal money(String s) {
        return new BigDecimal(s);
    }

    static CallRecord draft(String callId, Funding funding, CallOutcome outcome, Instant accepted, long talkSeconds) {
        return CallRecord.builder(callId).facility("f1").station("1001").inmateId("A1").dialed(BTN).btn(BTN)
                .funding(funding).startedAt(T0).answeredAt(accepted == null ? null : accepted.minusSeconds(5))
                .acceptedAt(accepted).endedAt((accepted == null ? T0 : accepted).plusSeconds(talkSeconds))
                .outcome(outcome).build();
    }

    ReserveResult.Reserved reserved(ReserveResult r) {
        return assertInstanceOf(ReserveResult.Reserved.class, r);
    }

    @Test
    void reserveHoldsFundsAndSettleChargesWholeMinutes() {
        store.accounts().depositPrepaid(BTN, money("25.00"));
        ReserveResult.Reserved r = reserved(billing.reserve("c1", FundingSource.prepaid(BTN), 900, RATE));
        assertEquals(900, r.allowedSeconds());
        assertEquals(money("0.90"), r.reservation().amount());
        assertEquals(money("0.90"), prepaid(BTN).held());
        assertEquals(money("24.10"), prepaid(BTN).available());

        Instant accepted = T0.plusSeconds(20);
        billing.accepted("c1", accepted);
        Settlement s = billing.settle(draft("c1", Funding.PREPAID, CallOutcome.COMPLETED, accepted, 125));
        assertFalse(s.repeated());
        assertFalse(s.billingFailed());
        assertEquals(180, s.billedSeconds());
        assertEquals(money("0.18"), s.charge());
        assertEquals(money("24.82"), prepaid(BTN).balance());
        assertEquals(money("0.00"), prepaid(BTN).held());
        CallRecord rec = store.calls().get("c1").orElseThrow();
        assertEquals(money("0.18"), rec.charge());
        assertEquals(Funding.PREPAID, rec.funding());
        assertEquals(Reservation.Status.SETTLED, store.accounts().reservation("c1").orElseThrow().status());
    }

    @Test
    void settleIsIdempotent() {
        store.accounts().depositPrepaid(BTN, money("25.00"));
        reserved(billing.reserve("c1", FundingSource.prepaid(BTN), 900, RATE));
        CallRecord d = draft("c1", Funding.PREPAID, CallOutcome.COMPLETED, T0, 60);
        Settlement first = billing.settle(d);
        Settlement second = billing.settle(d);
        Settlement third = billing.settle(draft("c1", Funding.PREPAID, CallOutcome.COMPLETED, T0, 600));
        assertTrue(second.repeated());
        assertEquals(first.record(), second.record());
        assertEquals(first.record(), third.record());
        assertEquals(money("24.94"), prepaid(BTN).balance());
        // A repeated reserve for the same call returns the same reservation, holding nothing more.
        reserved(billing.reserve("c1", FundingSource.prepaid(BTN), 900, RATE));
        assertEquals(money("0.00"), prepaid(BTN).held());
    }

    @Test
    void partialBalanceBuysWholeMinutesOnly() {
        store.accounts().depositPrepaid(BTN, money("0.15"));
        ReserveResult.Reserved r = reserved(billing.reserve("c1", FundingSource.prepaid(BTN), 900, RATE));
        assertEquals(120, r.allowedSeconds()); // 0.15 buys 2 minutes
        assertEquals(money("0.12"), r.reservation().amount());
        assertEquals(money("0.03"), prepaid(BTN).available());
        // The call overran its allowance a little: the charge is capped at what was held.
        Settlement s = billing.settle(draft("c1", Funding.PREPAID, CallOutcome.CUT_OFF, T0, 121));
        assertEquals(money("0.12"), s.charge());
        assertEquals(money("0.03"), prepaid(BTN).balance());
    }

    @Test
    void callCutOffAtItsLimitIsBilledUpToTheLimit() {
        store.accounts().depositPrepaid(BTN, money("5.00"));
        ReserveResult.Reserved r = reserved(billing.reserve("c1", FundingSource.prepaid(BTN), 60, RATE));
        assertEquals(60, r.allowedSeconds());
        // Cut off at 60 s; the goodbye announcement took the end to 63 s.
        Settlement s = billing.settle(draft("c1", Funding.PREPAID, CallOutcome.CUT_OFF, T0, 63));
        assertEquals(60, s.billedSeconds());
        assertEquals(money("0.06"), s.charge());
        assertEquals(money("4.94"), prepaid(BTN).balance());
    }

    @Test
    void insufficientFundsNamesTheAccount() {
        store.accounts().depositPrepaid("+15735550111", money("0.03"));
        ReserveResult.InsufficientFunds p = assertInstanceOf(ReserveResult.InsufficientFunds.class,
                billing.reserve("c1", FundingSource.prepaid("+15735550111"), 900, RATE));
        assertEquals(AccountKind.PREPAID, p.kind());
        assertEquals(money("0.03"), p.available());

        store.accounts().depositDebit("A1", money("0.05"));
        ReserveResult.InsufficientFunds d = assertInstanceOf(ReserveResult.InsufficientFunds.class,
                billing.reserve("c2", FundingSource.debit("A1"), 900, RATE));
        assertEquals(AccountKind.DEBIT, d.kind());

        assertInstanceOf(ReserveResult.NoAccount.class, billing.reserve("c3", FundingSource.prepaid("+19995550000"), 900, RATE));
        assertTrue(store.accounts().openReservations().isEmpty());
    }

    @Test
    void debitAccountsAreBilledToo() {
        store.accounts().depositDebit("A1", money("20.00"));
        reserved(billing.reserve("c1", FundingSource.debit("A1"), 900, RATE));
        assertEquals(money("0.90"), store.accounts().debit("A1").orElseThrow().held());
        Settlement s = billing.settle(draft("c1", Funding.DEBIT, CallOutcome.COMPLETED, T0, 600));
        assertEquals(money("0.60"), s.charge());
        assertEquals(money("19.40"), store.accounts().debit("A1").orElseThrow().balance());
        assertEquals(money("0.00"), store.accounts().debit("A1").orElseThrow().held());
    }

    @Test
    void unansweredRefusedAndFreeCallsCostNothing() {
        store.accounts().depositPrepaid(BTN, money("1.00"));
        reserved(billing.reserve("c1", FundingSource.prepaid(BTN), 900, RATE));
        // Refused after the called party answered: no acceptance, no charge.
        Settlement refused = billing.settle(draft("c1", Funding.PREPAID, CallOutcome.REFUSED, null, 30));
        assertEquals(money("0.00"), refused.charge());
        reserved(billing.reserve("c2", FundingSource.prepaid(BTN), 900, RATE));
        // Even with an acceptance time, a failed call is not billed.
        Settlement failed = billing.settle(draft("c2", Funding.PREPAID, CallOutcome.FAILED, T0, 300));
        assertEquals(money("0.00"), failed.charge());
        assertEquals(0, failed.billedSeconds());
        assertEquals(money("1.00"), prepaid(BTN).balance());
        assertEquals(money("0.00"), prepaid(BTN).held());
        assertEquals(Reservation.Status.RELEASED, store.accounts().reservation("c1").orElseThrow().status());

        // No reservation at all (privileged/free call): written with charge 0.
        Settlement free = billing.settle(draft("c3", Funding.FREE, CallOutcome.COMPLETED, T0, 600));
        assertEquals(money("0.00"), free.charge());
        assertEquals(600, free.billedSeconds()); // talk time still counts toward monthly minutes
        assertEquals(Funding.FREE, store.calls().get("c3").orElseThrow().funding());

        // release() without a record.
        reserved(billing.reserve("c4", FundingSource.prepaid(BTN), 900, RATE));
        billing.release("c4");
        billing.release("c4");
        assertEquals(money("0.00"), prepaid(BTN).held());
    }

    @Test
    void subMinuteRoundingRoundsChargeHalfUp() {
        store.accounts().depositPrepaid(BTN, money("5.00"));
        reserved(billing.reserve(new ReserveRequest("c1", FundingSource.prepaid(BTN), 900, RATE, 6, "f1", "1001",
                "A1", BTN)));
        // 61 s talk → 66 s billed (6 s increments) → 0.066 → 0.07 (HALF_UP)
        Settlement s = billing.settle(draft("c1", Funding.PREPAID, CallOutcome.COMPLETED, T0, 61));
        assertEquals(66, s.billedSeconds());
        assertEquals(money("0.07"), s.charge());
        assertEquals(money("4.93"), prepaid(BTN).balance());
    }

    @Test
    void parallelReservationsNeverOverspend() throws Exception {
        store.accounts().depositPrepaid(BTN, money("0.30")); // five 1-minute calls
        int n = 20;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ReserveResult>> fs = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String callId = "p" + i;
                fs.add(pool.submit(() -> {
                    go.await();
                    return billing.reserve(callId, FundingSource.prepaid(BTN), 60, RATE);
                }));
            }
            go.countDown();
            List<String> ok = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ReserveResult r = fs.get(i).get(60, TimeUnit.SECONDS);
                if (r instanceof ReserveResult.Reserved) {
                    ok.add("p" + i);
                } else {
                    assertInstanceOf(ReserveResult.InsufficientFunds.class, r);
                }
            }
            assertEquals(5, ok.size());
            assertEquals(money("0.30"), prepaid(BTN).held());
            assertEquals(money("0.00"), prepaid(BTN).available());
            // Settle them all in parallel, each talking longer than allowed.
            List<Future<Settlement>> ss = new ArrayList<>();
            for (String id : ok) {
                ss.add(pool.submit(() -> billing.settle(draft(id, Funding.PREPAID, CallOutcome.CUT_OFF, T0, 75))));
            }
            BigDecimal total = BigDecimal.ZERO;
            for (Future<Settlement> f : ss) {
                total = total.add(f.get(60, TimeUnit.SECONDS).charge());
            }
            assertEquals(money("0.30"), total);
            assertEquals(money("0.00"), prepaid(BTN).balance());
            assertEquals(money("0.00"), prepaid(BTN).held());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reconcileReleasesReservationsLeftByACrash() {
        store.accounts().depositPrepaid(BTN, money("25.00"));
        reserved(billing.reserve(new ReserveRequest("c1", FundingSource.prepaid(BTN), 900, RATE, 60, "f1", "1001",
                "A1", BTN)));
        crashAndRestart();
        assertEquals(money("0.90"), prepaid(BTN).held());
        ReconcileReport rep = billing.reconcile();
        assertEquals(List.of("c1"), rep.released());
        CallRecord rec = store.calls().get("c1").orElseThrow();
        assertEquals(CallOutcome.FAILED, rec.outcome());
        assertEquals("switch_restart", rec.reason());
        assertEquals(money("0.00"), rec.charge());
        assertEquals("A1", rec.inmateId());
        assertEquals(T0, rec.startedAt());
        assertEquals(money("25.00"), prepaid(BTN).balance());
        assertEquals(money("0.00"), prepaid(BTN).held());
        assertEquals(0, billing.reconcile().total()); // nothing left
    }

    @Test
    void staleOnlyReconcileLeavesLiveCallsAlone() {
        store.accounts().depositPrepaid(BTN, money("25.00"));
        // Created at T0 by the fixed clock.
        reserved(billing.reserve("old", FundingSource.prepaid(BTN), 900, RATE));
        reserved(billing.reserve("live", FundingSource.prepaid(BTN), 900, RATE));
        billing.accepted("live", T0.plusSeconds(10));
        billing.heartbeat("live", T0.plusSeconds(3590));
        // Restart one hour later (clock T0 + 3600 s); only reservations silent for 5 minutes go.
        crashAndRestart();
        ReconcileReport rep = billing.reconcile(java.time.Duration.ofMinutes(5));
        assertEquals(List.of("old"), rep.released());
        assertEquals(Reservation.Status.OPEN, store.accounts().reservation("live").orElseThrow().status());
        assertEquals(money("0.90"), prepaid(BTN).held());
        Settlement s = billing.settle(draft("live", Funding.PREPAID, CallOutcome.COMPLETED, T0.plusSeconds(10), 3600));
        assertEquals(money("0.90"), s.charge()); // capped at the hold
        assertEquals(money("24.10"), prepaid(BTN).balance());
    }

    @Test
    void reconcileAppliesAChargeThatWasRecordedButNotDebited() {
        store.accounts().depositPrepaid(BTN, money("25.00"));
        reserved(billing.reserve("c1", FundingSource.prepaid(BTN), 900, RATE));
        // The CDR made it to disk with its charge, the debit did not (e.g. crash between the two
        // transactions of a failed settlement).
        store.calls().record(draft("c1", Funding.PREPAID, CallOutcome.COMPLETED, T0, 170).withBilling(180, money("0.18")));
        crashAndRestart();
        ReconcileReport rep = billing.reconcile();
        assertEquals(List.of("c1"), rep.settledFromRecord());
        assertEquals(money("24.82"), prepaid(BTN).balance());
        assertEquals(money("0.00"), prepaid(BTN).held());
        assertEquals(0, billing.reconcile().total());
        assertTrue(billing.settle(draft("c1", Funding.PREPAID, CallOutcome.COMPLETED, T0, 170)).repeated());
        assertEquals(money("24.82"), prepaid(BTN).balance());
    }

    @Test
    void reconcileBillsTalkTimeUpToTheLastHeartbeat() {
        store.accounts().depositPrepaid(BTN, money("25.00"));
        reserved(billing.reserve(new ReserveRequest("c1", FundingSource.prepaid(BTN), 900, RATE, 60, "f1", "1001",
                "A1", BTN)));
        billing.accepted("c1", T0.plusSeconds(20));
        billing.heartbeat("c1", T0.plusSeconds(80));
        billing.heartbeat("c1", T0.plusSeconds(170));
        billing.heartbeat("c1", T0.plusSeconds(100)); // late, out of order: ignored
        crashAndRestart();
        ReconcileReport rep = billing.reconcile();
        assertEquals(List.of("c1"), rep.billedFromHeartbeat());
        CallRecord rec = store.calls().get("c1").orElseThrow();
        assertEquals(CallOutcome.CUT_OFF, rec.outcome());
        assertEquals("switch_restart", rec.reason());
        assertEquals(180, rec.billedSeconds()); // 150 s talked → 3 minutes
        assertEquals(money("0.18"), rec.charge());
        assertEquals(money("24.82"), prepaid(BTN).balance());
        assertEquals(money("0.00"), prepaid(BTN).held());
    }

    @Test
    void reconcileBillsAnAcceptedCallWithoutHeartbeatOneIncrement() {
        // Killed after acceptance but before the first heartbeat (or right after a normal hangup,
        // before the settlement committed): the call was bridged, so it costs what settle would
        // charge for its first started second, once.
        store.accounts().depositPrepaid(BTN, money("25.00"));
        reserved(billing.reserve(new ReserveRequest("c1", FundingSource.prepaid(BTN), 900, RATE, 60, "f1", "1001",
                "A1", BTN)));
        billing.accepted("c1", T0.plusSeconds(20));
        crashAndRestart();
        ReconcileReport rep = billing.reconcile();
        assertEquals(List.of("c1"), rep.billedFromHeartbeat());
        CallRecord rec = store.calls().get("c1").orElseThrow();
        assertEquals(CallOutcome.CUT_OFF, rec.outcome());
        assertEquals("switch_restart", rec.reason());
        assertEquals(T0.plusSeconds(20), rec.acceptedAt());
        assertEquals(T0.plusSeconds(20), rec.endedAt());
        assertEquals(60, rec.billedSeconds());
        assertEquals(money("0.06"), rec.charge());
        assertEquals(money("24.94"), prepaid(BTN).balance());
        assertEquals(money("0.00"), prepaid(BTN).held());
        assertEquals(0, billing.reconcile().total());
        assertEquals(money("24.94"), prepaid(BTN).balance());
    }

    // ------------------------------------------------------------------ started calls (crash before funding)

    /** What the B2BUA writes when a call's script starts: the station, its facility, the call, the time. */
    void started(String callId, String station, Instant at) {
        store.calls().started(StartedCall.of(callId, "f1", station, at));
    }

    List<String> unfinished() {
        return store.calls().unfinished().stream().map(StartedCall::callId).toList();
    }

    List<String> recorded() {
        return store.calls().search(CallQuery.all()).stream().map(CallRecord::callId).sorted().toList();
    }

    @Test
    void reconcileRecordsCallsKilledBeforeFunding() {
        store.accounts().depositPrepaid(BTN, money("25.00"));
        // Killed at the PIN prompt: only the station is known.
        started("c-pin", "1001", T0.minusSeconds(20));
        // Killed while the inmate entered the number: the PIN had named him.
        started("c-number", "1002", T0.minusSeconds(10));
        store.calls().identified("c-number", "A1");
        crashAndRestart();

        ReconcileReport rep = billing.reconcile();
        assertEquals(List.of("c-pin", "c-number"), rep.recordedFromStart());
        assertEquals(List.of(), rep.released());
        assertEquals(List.of(), rep.failed());
        assertEquals(2, rep.total());

        CallRecord pin = store.calls().get("c-pin").orElseThrow();
        assertEquals(CallOutcome.FAILED, pin.outcome());
        assertEquals("switch_restart", pin.reason());
        assertEquals("f1", pin.facility());
        assertEquals("1001", pin.station());
        assertNull(pin.inmateId());
        assertNull(pin.dialed());
        assertEquals(T0.minusSeconds(20), pin.startedAt());
        assertNull(pin.acceptedAt());
        assertEquals(Funding.FREE, pin.funding());
        assertEquals(0, pin.billedSeconds());
        assertEquals(money("0.00"), pin.charge());

        CallRecord number = store.calls().get("c-number").orElseThrow();
        assertEquals(CallOutcome.FAILED, number.outcome());
        assertEquals("switch_restart", number.reason());
        assertEquals("1002", number.station());
        assertEquals("A1", number.inmateId());
        assertEquals(T0.minusSeconds(10), number.startedAt());
        assertEquals(money("0.00"), number.charge());

        // Nothing was held, nothing moved; nothing is left to do, and a second run writes nothing.
        assertEquals(money("25.00"), prepaid(BTN).balance());
        assertEquals(money("0.00"), prepaid(BTN).held());
        assertEquals(List.of(), unfinished());
        assertEquals(0, billing.reconcile().total());
        assertEquals(List.of("c-number", "c-pin"), recorded());
    }

    @Test
    void aFundedCallIsReconciledAsBeforeAndGetsOneRecord() {
        store.accounts().depositPrepaid(BTN, money("25.00"));
        // Three calls started a minute before funding. One ends normally; the switch dies during the others.
        started("c-done", "1003", T0.minusSeconds(60));
        reserved(billing.reserve(new ReserveRequest("c-done", FundingSource.prepaid(BTN), 900, RATE, 60, "f1", "1003",
                "A1", BTN)));
        billing.settle(draft("c-done", Funding.PREPAID, CallOutcome.COMPLETED, T0, 30));
        started("c-ring", "1001", T0.minusSeconds(60));
        store.calls().identified("c-ring", "A1");
        reserved(billing.reserve(new ReserveRequest("c-ring", FundingSource.prepaid(BTN), 900, RATE, 60, "f1", "1001",
                "A1", BTN)));
        started("c-talk", "1002", T0.minusSeconds(60));
        store.calls().identified("c-talk", "A1");
        reserved(billing.reserve(new ReserveRequest("c-talk", FundingSource.prepaid(BTN), 900, RATE, 60, "f1", "1002",
                "A1", BTN)));
        billing.accepted("c-talk", T0.plusSeconds(20));
        billing.heartbeat("c-talk", T0.plusSeconds(80));
        assertEquals(List.of("c-ring", "c-talk"), unfinished(), "settle closed c-done's start");
        crashAndRestart();

        ReconcileReport rep = billing.reconcile();
        assertEquals(List.of("c-ring"), rep.released());
        assertEquals(List.of("c-talk"), rep.billedFromHeartbeat());
        assertEquals(List.of(), rep.recordedFromStart(), "their reservations' records closed their starts");
        assertEquals(List.of(), rep.failed());

        // Exactly the records reconcile wrote before calls had start rows: from the reservation.
        CallRecord ring = store.calls().get("c-ring").orElseThrow();
        assertEquals(CallOutcome.FAILED, ring.outcome());
        assertEquals("switch_restart", ring.reason());
        assertEquals(Funding.PREPAID, ring.funding());
        assertEquals(T0, ring.startedAt(), "the reservation's time, as before");
        assertEquals("1001", ring.station());
        assertEquals("A1", ring.inmateId());
        assertEquals(BTN, ring.dialed());
        assertEquals(money("0.00"), ring.charge());
        CallRecord talk = store.calls().get("c-talk").orElseThrow();
        assertEquals(CallOutcome.CUT_OFF, talk.outcome());
        assertEquals(60, talk.billedSeconds());
        assertEquals(money("0.06"), talk.charge());
        assertEquals(CallOutcome.COMPLETED, store.calls().get("c-done").orElseThrow().outcome());

        assertEquals(List.of("c-done", "c-ring", "c-talk"), recorded(), "one record per call");
        assertEquals(List.of(), unfinished());
        assertEquals(money("24.88"), prepaid(BTN).balance()); // c-done 0.06 + c-talk 0.06
        assertEquals(money("0.00"), prepaid(BTN).held());
        assertEquals(0, billing.reconcile().total());
        assertEquals(List.of("c-done", "c-ring", "c-talk"), recorded());
    }

    @Test
    void aCallKilledAfterItsHoldWasReleasedButBeforeItsRecordIsRecorded() {
        // A refused call: the script releases the hold, then writes the record. Killed in between.
        store.accounts().depositPrepaid(BTN, money("25.00"));
        started("c1", "1001", T0.minusSeconds(30));
        store.calls().identified("c1", "A1");
        reserved(billing.reserve(new ReserveRequest("c1", FundingSource.prepaid(BTN), 900, RATE, 60, "f1", "1001",
                "A1", BTN)));
        billing.release("c1");
        crashAndRestart();

        ReconcileReport rep = billing.reconcile();
        assertEquals(List.of("c1"), rep.recordedFromStart());
        assertEquals(List.of(), rep.released());
        CallRecord rec = store.calls().get("c1").orElseThrow();
        assertEquals(CallOutcome.FAILED, rec.outcome());
        assertEquals("switch_restart", rec.reason());
        assertEquals("A1", rec.inmateId());
        assertEquals(BTN, rec.dialed(), "the released reservation knows the number");
        assertEquals(BTN, rec.btn());
        assertEquals(T0.minusSeconds(30), rec.startedAt());
        assertEquals(Funding.FREE, rec.funding(), "it paid nothing");
        assertEquals(money("0.00"), rec.charge());
        assertEquals(Reservation.Status.RELEASED, store.accounts().reservation("c1").orElseThrow().status());
        assertEquals(money("25.00"), prepaid(BTN).balance());
        assertEquals(money("0.00"), prepaid(BTN).held());
        assertEquals(0, billing.reconcile().total());
    }

    @Test
    void staleOnlyReconcileLeavesStartedCallsAlone() {
        // A call in the IVR, or a free call, has no heartbeat: a sweeper cannot tell it from an orphan.
        started("c-ivr", "1001", T0.minusSeconds(3600));
        crashAndRestart();
        ReconcileReport rep = billing.reconcile(java.time.Duration.ofMinutes(5));
        assertEquals(0, rep.total());
        assertTrue(store.calls().get("c-ivr").isEmpty());
        assertEquals(List.of("c-ivr"), unfinished());
        // The startup reconcile records it.
        assertEquals(List.of("c-ivr"), billing.reconcile().recordedFromStart());
        assertEquals(CallOutcome.FAILED, store.calls().get("c-ivr").orElseThrow().outcome());
    }

    @Test
    void aStartedCallWhoseReservationCannotBeReconciledWaitsForTheNextRun() {
        store.accounts().depositPrepaid(BTN, money("25.00"));
        started("c1", "1001", T0.minusSeconds(30));
        reserved(billing.reserve(new ReserveRequest("c1", FundingSource.prepaid(BTN), 900, RATE, 60, "f1", "1001",
                "A1", BTN)));
        JdbcStore js = (JdbcStore) store;
        // Releasing the hold would violate held >= 0: the reservation's reconcile fails.
        js.db().tx(c -> Db.update(c, "UPDATE prepaid_account SET held = 0 WHERE btn = ?", BTN));
        crashAndRestart();
        ReconcileReport rep = billing.reconcile();
        assertEquals(List.of("c1"), rep.failed());
        assertEquals(List.of(), rep.recordedFromStart(), "not recorded while its money is unresolved");
        assertTrue(store.calls().get("c1").isEmpty());
        assertEquals(List.of("c1"), unfinished());

        js = (JdbcStore) store;
        js.db().tx(c -> Db.update(c, "UPDATE prepaid_account SET held = 0.90 WHERE btn = ?", BTN));
        rep = billing.reconcile();
        assertEquals(List.of("c1"), rep.released());
        assertEquals(List.of(), rep.recordedFromStart());
        assertEquals(Funding.PREPAID, store.calls().get("c1").orElseThrow().funding(), "the reservation's record");
        assertEquals(List.of(), unfinished());
        assertEquals(money("0.00"), prepaid(BTN).held());
    }

    @Test
    void callRecordIsKeptWhenTheChargeCannotBeApplied() {
        store.accounts().depositPrepaid(BTN, money("25.00"));
        reserved(billing.reserve("c1", FundingSource.prepaid(BTN), 900, RATE));
        JdbcStore js = (JdbcStore) store;
        // Corrupt the hold so that releasing it would violate held >= 0: the settlement
        // transaction fails and must roll back as a whole.
        js.db().tx(c -> Db.update(c, "UPDATE prepaid_account SET held = 0 WHERE btn = ?", BTN));
        Settlement s = billing.settle(draft("c1", Funding.PREPAID, CallOutcome.COMPLETED, T0, 100));
        assertTrue(s.billingFailed());
        assertEquals(money("0.12"), s.charge());
        assertEquals(money("0.12"), store.calls().get("c1").orElseThrow().charge());
        assertEquals(money("25.00"), prepaid(BTN).balance()); // nothing half-applied
        assertEquals(Reservation.Status.OPEN, store.accounts().reservation("c1").orElseThrow().status());
        // Repair, then reconcile applies the recorded charge exactly once.
        js.db().tx(c -> Db.update(c, "UPDATE prepaid_account SET held = 0.90 WHERE btn = ?", BTN));
        assertEquals(List.of("c1"), billing.reconcile().settledFromRecord());
        assertEquals(money("24.88"), prepaid(BTN).balance());
        assertEquals(money("0.00"), prepaid(BTN).held());
    }
}
