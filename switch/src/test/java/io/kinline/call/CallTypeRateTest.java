package io.kinline.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kinline.billing.Billing;
import io.kinline.billing.ReconcileReport;
import io.kinline.store.Funding;
import io.kinline.script.Hold;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.CallType;
import io.kinline.store.DemoData;
import io.kinline.store.Facility;
import io.kinline.store.Store;
import io.kinline.store.TestDatabases;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A facility may charge each call type its own rate. The call script asks for the rate of the number
 * dialled, holds at it, and the reservation keeps it, so settlement and reconciliation after a crash
 * charge exactly the rate the called party was quoted.
 */
class CallTypeRateTest {

    // 573 is the demo facility's local area code, 314 is in the state, 212 is out of state.
    static final String LOCAL = "+15735550100";
    static final String IN_STATE = "+13145550122";
    static final String INTERSTATE = "+12125550133";

    @TempDir
    Path dataDir;

    private Store open(String db) {
        Store store = Store.open("postgres".equals(db) ? TestDatabases.postgres(dataDir) : TestDatabases.h2(dataDir));
        DemoData.load(store);
        Facility scc = store.facilities().get(DemoData.FACILITY).orElseThrow();
        store.facilities().update(scc.toBuilder().rates(scc.rates()
                .with(CallType.LOCAL, new BigDecimal("0.05"))
                .with(CallType.INTERSTATE, new BigDecimal("0.21"))).build());
        return store;
    }

    private StoreCallServices call(Store store, Billing billing, String callId) {
        StoreCallServices services = new StoreCallServices(callId, store, billing, dataDir, () -> null, () -> null);
        services.station("1001");
        return services;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void eachNumberIsQuotedTheRateOfItsCallType(String db) {
        try (Store store = open(db)) {
            StoreCallServices services = call(store, Billing.create(store), "c-quote");
            assertMoney("0.05", services.ratePerMinute(DemoData.FACILITY, LOCAL));
            assertMoney("0.06", services.ratePerMinute(DemoData.FACILITY, IN_STATE)); // the default
            assertMoney("0.21", services.ratePerMinute(DemoData.FACILITY, INTERSTATE));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theHoldKeepsTheQuotedRateAndSettlementChargesIt(String db) {
        try (Store store = open(db)) {
            Billing billing = Billing.create(store);
            StoreCallServices services = call(store, billing, "c-local");
            BigDecimal rate = services.ratePerMinute(DemoData.FACILITY, LOCAL);
            services.funds("A1001", LOCAL);
            // 15 minutes at the local rate, as the script sizes it.
            Hold hold = services.reserve(Funding.PREPAID, LOCAL, new BigDecimal("0.75"), rate, "c-local");
            assertMoney("0.05", hold.ratePerMinute());
            assertMoney("0.75", hold.amount());
            var stored = store.accounts().reservation("c-local").orElseThrow();
            assertMoney("0.05", stored.rate());
            assertEquals(15 * 60, stored.allowedSeconds());

            Instant accepted = Instant.now().truncatedTo(ChronoUnit.MICROS);
            billing.accepted("c-local", accepted);
            CallRecord settled = billing.settle(CallRecord.builder("c-local").facility(DemoData.FACILITY)
                    .station("1001").inmateId("A1001").dialed(LOCAL).btn(LOCAL)
                    .funding(io.kinline.store.Funding.PREPAID).startedAt(accepted.minusSeconds(20))
                    .answeredAt(accepted.minusSeconds(5)).acceptedAt(accepted).endedAt(accepted.plusSeconds(190))
                    .outcome(CallOutcome.COMPLETED).build()).record();
            assertEquals(240, settled.billedSeconds());
            assertMoney("0.20", settled.charge()); // 4 minutes at 0.05, not at a dearer call type's rate
            assertMoney("24.80", store.accounts().prepaid(LOCAL).orElseThrow().balance());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aCallCutShortByACrashIsChargedTheQuotedRate(String db) {
        try (Store store = open(db)) {
            Billing billing = Billing.create(store);
            StoreCallServices services = call(store, billing, "c-crash");
            BigDecimal rate = services.ratePerMinute(DemoData.FACILITY, INTERSTATE);
            services.funds("A1002", INTERSTATE);
            services.reserve(Funding.DEBIT, "A1002", new BigDecimal("3.15"), rate, "c-crash");
            Instant accepted = Instant.now().minusSeconds(200).truncatedTo(ChronoUnit.MICROS);
            billing.accepted("c-crash", accepted);
            billing.heartbeat("c-crash", accepted.plusSeconds(100));

            ReconcileReport report = billing.reconcile();
            assertEquals(List.of("c-crash"), report.billedFromHeartbeat());
            CallRecord r = store.calls().get("c-crash").orElseThrow();
            assertEquals(120, r.billedSeconds());
            assertMoney("0.42", r.charge()); // 2 minutes at the interstate rate the hold recorded
            assertMoney("19.58", store.accounts().debit("A1002").orElseThrow().balance());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aFreeCallTypeIsQuotedZero(String db) {
        try (Store store = open(db)) {
            Facility scc = store.facilities().get(DemoData.FACILITY).orElseThrow();
            store.facilities().update(scc.toBuilder().rates(scc.rates().with(CallType.LOCAL, BigDecimal.ZERO)).build());
            StoreCallServices services = call(store, Billing.create(store), "c-free");
            assertMoney("0", services.ratePerMinute(DemoData.FACILITY, LOCAL));
            assertMoney("0.21", services.ratePerMinute(DemoData.FACILITY, INTERSTATE));
        }
    }

    private static void assertMoney(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected " + expected + ", was " + actual);
    }
}
