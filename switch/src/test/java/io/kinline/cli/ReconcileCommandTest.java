package io.kinline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.billing.Billing;
import io.kinline.billing.FundingSource;
import io.kinline.billing.ReserveRequest;
import io.kinline.cluster.ClusterNodes;
import io.kinline.cluster.NodeIdentity;
import io.kinline.store.DemoData;
import io.kinline.store.Reservation;
import io.kinline.store.StartedCall;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.kinline.store.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinline reconcile --node}: the calls of a node that is gone for good are finished by an operator. */
class ReconcileCommandTest {

    @TempDir
    Path lostNodeDir;
    @TempDir
    Path operatorDir;

    @Test
    void aGoneNodesCallsAreFinishedAndARunningNodeIsRefused() throws Exception {
        StoreConfig db = TestDatabases.postgres(lostNodeDir);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Path config = operatorDir.resolve("kinline.yaml");
        Files.writeString(config, "store:\n  jdbcUrl: \"" + db.jdbcUrl() + "\"\n  username: " + db.user()
                + "\n  password: " + db.password() + "\n");
        try (Store lost = Store.open(db.withNodeId("node-x")); NodeIdentity id = NodeIdentity.open(lostNodeDir, "node-x");
                ClusterNodes running = ClusterNodes.register(lost, id, "host-x", null, Clock.systemUTC())) {
            DemoData.load(lost);
            lost.calls().started(StartedCall.of("x-ivr", DemoData.FACILITY, "1001", t0));
            lost.calls().started(StartedCall.of("x-funded", DemoData.FACILITY, "1002", t0));
            Billing.create(lost).reserve(new ReserveRequest("x-funded", FundingSource.debit("A1001"), 600,
                    new BigDecimal("0.06"), 60, DemoData.FACILITY, "1002", "A1001", "+15735550100"));

            String[] out = new String[2];
            int rc = run(out, "reconcile", "--config", config.toString(), "--data-dir", operatorDir.toString(),
                    "--node", "node-x");
            assertEquals(1, rc, "refused while node-x runs: " + out[1]);
            assertTrue(out[1].contains("node node-x is running (host host-x"), out[1]);
            assertEquals(Reservation.Status.OPEN, lost.accounts().reservation("x-funded").orElseThrow().status());
        }
        // node-x is gone (its process and its data directory with it): the operator finishes its calls.
        String[] out = new String[2];
        int rc = run(out, "reconcile", "--config", config.toString(), "--data-dir", operatorDir.toString(),
                "--node", "node-x", "--force");
        assertEquals(0, rc, out[0] + out[1]);
        assertTrue(out[0].contains("node node-x: 0 settled from their records, 0 billed to their last heartbeat, "
                + "1 released, 1 recorded from their start"), out[0]);
        try (Store s = Store.open(db)) {
            assertEquals(Reservation.Status.RELEASED, s.accounts().reservation("x-funded").orElseThrow().status());
            assertEquals("switch_restart", s.calls().get("x-ivr").orElseThrow().reason());
            assertEquals(new BigDecimal("0.00"), s.accounts().debit("A1001").orElseThrow().held());
            assertTrue(ClusterNodes.of(s).node("node-x").orElseThrow().stoppedAt() != null, "node-x retired");
        }
    }

    private static int run(String[] out, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return Kinline.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            out[0] = o.toString(StandardCharsets.UTF_8);
            out[1] = e.toString(StandardCharsets.UTF_8);
        }
    }
}
