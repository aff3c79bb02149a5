package io.kinline.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.billing.Billing;
import io.kinline.script.PinResult;
import io.kinline.store.DemoData;
import io.kinline.store.Facility;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The call's services in {@code identification: id_pin} (issue 10.3), over the real store with the demo data. */
class IdPinServicesTest {

    @TempDir
    Path dataDir;

    @Test
    void wrongPinsLockTheNumberedInmateAndThenNoPinGetsThrough() {
        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            DemoData.load(store);
            store.facilities().update(store.facilities().get(DemoData.FACILITY).orElseThrow().toBuilder()
                    .identification(Facility.Identification.ID_PIN).build());
            StoreCallServices services = new StoreCallServices("c-1", store, Billing.create(store), dataDir,
                    store.facilities().station("1001").orElseThrow(), () -> null, () -> null);
            assertTrue(services.station("1001").orElseThrow().facility().idPin());
            Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // as the database keeps it

            assertInstanceOf(PinResult.Accepted.class, services.verifyNumberAndPin(DemoData.FACILITY, "1001", "1234", now));
            assertEquals(new PinResult.Rejected(null), services.verifyNumberAndPin(DemoData.FACILITY, "9999", "1234", now));
            assertEquals(new PinResult.Rejected("A1001"),
                    services.verifyNumberAndPin(DemoData.FACILITY, "1001", "5678", now), "A1002's PIN is wrong for A1001");

            assertTrue(services.inmatePinFailed("A1001", now).isEmpty());
            assertTrue(services.inmatePinFailed("A1001", now).isEmpty());
            Instant until = services.inmatePinFailed("A1001", now).orElseThrow(); // demo: 3 attempts, 15 minutes
            assertEquals(now.plus(Duration.ofMinutes(15)), until);

            // Locked: the right PIN and a wrong one get the same answer (a right PIN must tell a guesser nothing).
            assertEquals(PinResult.Locked.class, services.verifyNumberAndPin(DemoData.FACILITY, "1001", "1234", now).getClass());
            assertEquals(PinResult.Locked.class, services.verifyNumberAndPin(DemoData.FACILITY, "1001", "0000", now).getClass());
            assertInstanceOf(PinResult.Accepted.class, services.verifyNumberAndPin(DemoData.FACILITY, "1002", "5678", now),
                    "another inmate is not locked");
            Instant later = until.plusSeconds(1);
            assertEquals(new PinResult.Rejected("A1001"), services.verifyNumberAndPin(DemoData.FACILITY, "1001", "0000", later),
                    "the lock ended: a wrong PIN is wrong again");
            assertTrue(services.inmatePinFailed("A1001", later).isEmpty());
            assertEquals(1, store.inmates().get("A1001").orElseThrow().pinFailures());
            assertInstanceOf(PinResult.Accepted.class, services.verifyNumberAndPin(DemoData.FACILITY, "1001", "1234", later));
            assertEquals(0, store.inmates().get("A1001").orElseThrow().pinFailures(), "a right PIN starts the count again");
        }
    }
}
