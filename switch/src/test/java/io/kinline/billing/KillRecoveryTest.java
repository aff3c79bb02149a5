package io.kinline.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.store.CallOutcome;
import io.kinline.store.Facility;
import io.kinline.store.Inmate;
import io.kinline.store.PrepaidAccount;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a JVM holding open reservations (SIGKILL, no shutdown hooks) and reconciles afterwards. */
class KillRecoveryTest {

    @TempDir
    Path dataDir;

    @Test
    void reservationsSurviveKillMinus9AndReconcileCorrectly() throws Exception {
        String btn = "+15735550100";
        StoreConfig cfg = StoreConfig.embedded(dataDir);
        try (Store store = Store.open(cfg)) {
            store.facilities().create(Facility.builder("f1").name("F1").build());
            store.inmates().create(Inmate.of("A1", "f1", "John", "en", null), "1234");
            store.accounts().depositPrepaid(btn, new BigDecimal("25.00"));
        }
        Instant accepted = Instant.parse("2026-03-10T15:00:00Z");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingReserver.class.getName(), dataDir.toString(), btn, accepted.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            boolean ready = false;
            StringBuilder log = new StringBuilder();
            while ((line = out.readLine()) != null) {
                log.append(line).append('\n');
                if (line.equals("READY")) {
                    ready = true;
                    break;
                }
            }
            assertTrue(ready, "child did not get ready:\n" + log);
        } finally {
            p.destroyForcibly(); // SIGKILL on Linux
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }

        try (Store store = Store.open(cfg)) {
            PrepaidAccount before = store.accounts().prepaid(btn).orElseThrow();
            assertEquals(new BigDecimal("1.80"), before.held()); // both holds survived the kill
            ReconcileReport rep = Billing.create(store).reconcile();
            assertEquals(List.of("k-unanswered"), rep.released());
            assertEquals(List.of("k-talking"), rep.billedFromHeartbeat());
            assertEquals(CallOutcome.FAILED, store.calls().get("k-unanswered").orElseThrow().outcome());
            assertEquals(new BigDecimal("0.18"), store.calls().get("k-talking").orElseThrow().charge()); // 130 s → 3 min
            PrepaidAccount after = store.accounts().prepaid(btn).orElseThrow();
            assertEquals(new BigDecimal("24.82"), after.balance());
            assertEquals(new BigDecimal("0.00"), after.held());
            assertEquals(0, Billing.create(store).reconcile().total());
        }
    }
}
