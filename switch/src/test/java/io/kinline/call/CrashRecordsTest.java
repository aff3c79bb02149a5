package io.kinline.call;

import io.kinline.media.files.PrivateFiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.billing.Billing;
import io.kinline.billing.ReconcileReport;
import io.kinline.evidence.Evidence;
import io.kinline.store.Funding;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.DemoData;
import io.kinline.store.Reservation;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record {@code Billing.reconcile()} writes for a call cut short by a crash names the inmate and the
 * number (the call layer puts them on the reservation) and points at the recording the call left on disk.
 */
class CrashRecordsTest {

    @TempDir
    Path dataDir;

    @Test
    void reconciledRecordsNameTheCallPartiesAndKeepTheRecording() throws Exception {
        Path recordings = Files.createDirectories(dataDir.resolve("recordings"));
        try (Store store = Store.open(StoreConfig.embedded(dataDir))) {
            DemoData.load(store);
            Billing billing = Billing.create(store);

            // A prepaid call that was talking when the switch died: accepted, one heartbeat, a recording.
            StoreCallServices talking = new StoreCallServices("c-talk@host", store, billing, dataDir, () -> null,
                    () -> null);
            talking.station("1001");
            talking.funds("A1001", "+15735550100");
            talking.reserve(Funding.PREPAID, "+15735550100", new BigDecimal("0.90"),
                    talking.ratePerMinute(DemoData.FACILITY, "+15735550100"), "c-talk@host");
            Instant accepted = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MICROS);
            billing.accepted("c-talk@host", accepted);
            billing.heartbeat("c-talk@host", accepted.plusSeconds(12));
            Reservation r = store.accounts().reservation("c-talk@host").orElseThrow();
            assertEquals("A1001", r.inmateId());
            assertEquals("+15735550100", r.dialed());
            Path wav = CrashRecordings.path(recordings, r.createdAt(), "c-talk@host", ".wav");
            Files.createDirectories(wav.getParent());
            Files.write(wav, new byte[44]);

            // A debit call that was ringing: never accepted, so released, and nothing recorded.
            StoreCallServices ringing = new StoreCallServices("c-ring", store, billing, dataDir, () -> null, () -> null);
            ringing.station("1002");
            ringing.funds("A1002", "+13145550122");
            ringing.reserve(Funding.DEBIT, "A1002", new BigDecimal("0.60"),
                    ringing.ratePerMinute(DemoData.FACILITY, "+13145550122"), "c-ring");

            ReconcileReport report = billing.reconcile();
            assertEquals(List.of("c-talk@host"), report.billedFromHeartbeat());
            assertEquals(List.of("c-ring"), report.released());
            Evidence evidence = Evidence.open(dataDir, recordings, false, java.time.Clock.systemUTC());
            assertEquals(List.of("c-talk@host"), CrashRecordings.attach(store, evidence, report));

            CallRecord talked = store.calls().get("c-talk@host").orElseThrow();
            assertEquals(CallOutcome.CUT_OFF, talked.outcome());
            assertEquals("A1001", talked.inmateId());
            assertEquals("+15735550100", talked.dialed());
            assertEquals("+15735550100", talked.btn());
            assertEquals("1001", talked.station());
            assertEquals(wav.toAbsolutePath().toString(), talked.recording());
            assertTrue(wav.getFileName().toString().startsWith("c-talk_host"), "safe file name: " + wav);
            // Sealed as the crash left it: read-only, its digest in the record.
            assertTrue(PrivateFiles.isReadOnly(wav));
            assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(wav))), talked.recordingSha256());

            CallRecord rang = store.calls().get("c-ring").orElseThrow();
            assertEquals(CallOutcome.FAILED, rang.outcome());
            assertEquals("A1002", rang.inmateId());
            assertEquals("+13145550122", rang.dialed());
            assertEquals("+13145550122", rang.btn(), "a debit call's BTN is the dialed number");
            assertNull(rang.recording());

            // Attaching again (a second restart) changes nothing.
            assertEquals(List.of(), CrashRecordings.attach(store, evidence, report));
            assertEquals(talked, store.calls().get("c-talk@host").orElseThrow());
        }
    }
}
