package io.kinline.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.billing.Billing;
import io.kinline.store.DemoData;
import io.kinline.store.Facilities;
import io.kinline.store.Station;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call's services answer the script's {@code station()} from the station the B2BUA read to admit the
 * INVITE: one read of the station and one of its facility per call, and the call keeps the station as it
 * was at off-hook.
 */
class StoreCallServicesTest {

    @TempDir
    Path dataDir;

    @Test
    void theStationTheB2buaFoundIsNotReadAgainAndItsFacilityIsReadOnce() {
        try (Store real = Store.open(StoreConfig.embedded(dataDir))) {
            DemoData.load(real);
            Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
            Store store = counting(real, reads);
            Station atOffhook = store.facilities().station("1001").orElseThrow(); // the B2BUA's read
            StoreCallServices services = new StoreCallServices("c-1", store, Billing.create(real), dataDir, atOffhook,
                    () -> null, () -> null);

            var station = services.station("1001").orElseThrow();
            services.ratePerMinute(DemoData.FACILITY, "+15735550100");
            services.usage("A1001", java.time.Instant.now());

            assertEquals("1001", station.stationId());
            assertEquals(DemoData.FACILITY, station.facility().facilityId());
            assertEquals(1, count(reads, "station"), "station reads: " + reads);
            assertEquals(1, count(reads, "get"), "facility reads: " + reads);
        }
    }

    @Test
    void theCallUsesTheStationAsItWasAtOffhook() {
        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            DemoData.load(store);
            Station atOffhook = store.facilities().station("1002").orElseThrow();
            StoreCallServices services = new StoreCallServices("c-2", store, Billing.create(store), dataDir, atOffhook,
                    () -> null, () -> null);
            assertTrue(store.facilities().deleteStation("1002"));

            assertEquals(DemoData.FACILITY, services.station("1002").orElseThrow().facility().facilityId());
        }
    }

    @Test
    void withoutAStationFromTheB2buaTheStationIsReadAndAnUnknownOneIsEmpty() {
        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            DemoData.load(store);
            Station atOffhook = store.facilities().station("1001").orElseThrow();
            StoreCallServices other = new StoreCallServices("c-3", store, Billing.create(store), dataDir, atOffhook,
                    () -> null, () -> null);
            StoreCallServices none = new StoreCallServices("c-4", store, Billing.create(store), dataDir, () -> null,
                    () -> null);

            assertEquals("1003", other.station("1003").orElseThrow().stationId());
            assertEquals("1001", none.station("1001").orElseThrow().stationId());
            assertTrue(none.station("9999").isEmpty());
            assertTrue(other.station("9999").isEmpty());
        }
    }

    private static int count(Map<String, AtomicInteger> reads, String method) {
        AtomicInteger n = reads.get(method);
        return n == null ? 0 : n.get();
    }

    /** The store, counting the calls to {@link Facilities} by method name. */
    private static Store counting(Store real, Map<String, AtomicInteger> reads) {
        Facilities facilities = (Facilities) Proxy.newProxyInstance(Facilities.class.getClassLoader(),
                new Class<?>[] {Facilities.class}, (p, m, args) -> {
                    reads.computeIfAbsent(m.getName(), k -> new AtomicInteger()).incrementAndGet();
                    return invoke(real.facilities(), m, args);
                });
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (p, m, args) -> m.getName().equals("facilities") ? facilities : invoke(real, m, args));
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }


    @Test
    void aTollFreeIncidentNamesTheNumberOnce() {
        // The toll-free rule's denial detail is the number itself; the incident must not say it twice.
        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            DemoData.load(store);
            StoreCallServices services = new StoreCallServices("c-5", store, Billing.create(store), dataDir,
                    () -> null, () -> null);
            java.time.Instant at = java.time.Instant.now();
            services.recordIncident(new io.kinline.script.IncidentReport(io.kinline.policy.IncidentType.TOLL_FREE_ATTEMPT,
                    "c-5", DemoData.FACILITY, "1001", "A1001", "+18005550100", "+18005550100", at));
            services.recordIncident(new io.kinline.script.IncidentReport(io.kinline.policy.IncidentType.PIN_LOCKOUT,
                    "c-6", DemoData.FACILITY, "1001", null, null, "3 wrong PINs", at));
            var incidents = store.incidents().list(DemoData.FACILITY, null, null, at.minusSeconds(1),
                    at.plusSeconds(1), 10);
            var tollFree = incidents.stream().filter(x -> "c-5".equals(x.callId())).findFirst().orElseThrow();
            assertEquals("number +18005550100; station 1001", tollFree.details());
            var lockout = incidents.stream().filter(x -> "c-6".equals(x.callId())).findFirst().orElseThrow();
            assertEquals("3 wrong PINs; station 1001", lockout.details());
        }
    }
}
