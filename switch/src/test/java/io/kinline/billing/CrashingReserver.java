package io.kinline.billing;

import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Test helper run in a separate JVM by {@link KillRecoveryTest}: reserves funds for two calls,
 * marks one accepted with a heartbeat, prints READY and waits to be killed with SIGKILL.
 */
public final class CrashingReserver {

    private CrashingReserver() {
    }

    public static void main(String[] args) throws Exception {
        Store store = Store.open(StoreConfig.embedded(Path.of(args[0])));
        Billing billing = Billing.create(store);
        String btn = args[1];
        Instant accepted = Instant.parse(args[2]);
        ReserveResult a = billing.reserve(new ReserveRequest("k-unanswered", FundingSource.prepaid(btn), 900,
                new BigDecimal("0.06"), 60, "f1", "1001", "A1", btn));
        ReserveResult b = billing.reserve(new ReserveRequest("k-talking", FundingSource.prepaid(btn), 900,
                new BigDecimal("0.06"), 60, "f1", "1002", "A1", btn));
        if (!(a instanceof ReserveResult.Reserved) || !(b instanceof ReserveResult.Reserved)) {
            System.out.println("FAILED " + a + " " + b);
            System.exit(2);
        }
        billing.accepted("k-talking", accepted);
        billing.heartbeat("k-talking", accepted.plusSeconds(130));
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(120_000); // killed long before this
        System.exit(3);
    }
}
