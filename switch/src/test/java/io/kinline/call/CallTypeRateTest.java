package io.kinline.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kinline.billing.Billing;
import io.kinline.script.Funding;
import io.kinline.store.CallType;
import io.kinline.store.DemoData;
import io.kinline.store.Facility;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A facility may charge each call type its own rate; the reservation carries the rate of the number dialled. */
class CallTypeRateTest {

    @TempDir
    Path dataDir;

    @Test
    void reservationUsesTheRateOfTheDialledNumbersCallType() {
        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            DemoData.load(store);
            Facility scc = store.facilities().get(DemoData.FACILITY).orElseThrow();
            store.facilities().update(scc.toBuilder().rates(scc.rates()
                    .with(CallType.LOCAL, new BigDecimal("0.05"))
                    .with(CallType.INTERSTATE, new BigDecimal("0.21"))).build());
            Billing billing = Billing.create(store);

            // 573 is the demo facility's local area code; 212 is out of state.
            assertEquals(0, new BigDecimal("0.05").compareTo(reserve(store, billing, "c-local", "+15735550100")));
            assertEquals(0, new BigDecimal("0.21").compareTo(reserve(store, billing, "c-inter", "+12125550133")));
        }
    }

    private BigDecimal reserve(Store store, Billing billing, String callId, String number) {
        StoreCallServices services = new StoreCallServices(callId, store, billing, dataDir, () -> null, () -> null);
        services.station("1001");
        services.funds("A1001", number);
        // The script sizes the hold at the facility's highest rate: 5 minutes at $0.21.
        services.reserve(Funding.PREPAID, number, new BigDecimal("1.05"), callId);
        return store.accounts().reservation(callId).orElseThrow().rate();
    }
}
