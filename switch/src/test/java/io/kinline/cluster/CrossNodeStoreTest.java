package io.kinline.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.billing.Billing;
import io.kinline.billing.FundingSource;
import io.kinline.billing.ReconcileReport;
import io.kinline.billing.ReserveRequest;
import io.kinline.billing.ReserveResult;
import io.kinline.store.Block;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.DemoData;
import io.kinline.store.Funding;
import io.kinline.store.Money;
import io.kinline.store.Reservation;
import io.kinline.store.StartedCall;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.kinline.store.TestDatabases;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

/**
 * Cluster-wide state stays right under concurrency across nodes (issue 14): two nodes, each with its own store
 * (connection pool), billing engine and node id, on one PostgreSQL, as two Kinline processes have.
 */
class CrossNodeStoreTest {

    private static final String BTN = "+15735550100";
    private static final BigDecimal RATE = new BigDecimal("0.06");

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private StoreConfig base;
    private Store nodeA;
    private Store nodeB;
    private Billing billingA;
    private Billing billingB;

    @BeforeEach
    void twoNodesOnOneDatabase() throws Exception {
        base = TestDatabases.postgres(dirA);
        nodeA = Store.open(base.withNodeId("node-a"));
        Files.createDirectories(dirB.resolve("secrets"));
        Files.copy(dirA.resolve("secrets/pin-pepper"), dirB.resolve("secrets/pin-pepper"));
        nodeB = openB("node-b");
        billingA = Billing.create(nodeA);
        billingB = Billing.create(nodeB);
        DemoData.load(nodeA);
    }

    private Store openB(String id) {
        return Store.open(new StoreConfig(dirB, base.jdbcUrl(), base.user(), base.password(), 10, id));
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    private static BigDecimal money(String s) {
        return new BigDecimal(s);
    }

    @Test
    void twoNodesCannotOverspendOnePrepaidBalance() throws Exception {
        String btn = "+13145550177"; // a family's BTN with five minutes on it
        nodeA.accounts().depositPrepaid(btn, money("0.30"));
        BigDecimal before = money("0.30");
        int n = 20;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ReserveResult>> fs = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Billing on = i % 2 == 0 ? billingA : billingB; // half the calls on each node
                String callId = "p" + i;
                fs.add(pool.submit(() -> {
                    go.await();
                    return on.reserve(callId, FundingSource.prepaid(btn), 60, RATE);
                }));
            }
            go.countDown();
            List<String> granted = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (fs.get(i).get(60, TimeUnit.SECONDS) instanceof ReserveResult.Reserved) {
                    granted.add("p" + i);
                }
            }
            assertEquals(5, granted.size(), "five one-minute holds fit, whichever node asked: " + granted);
            assertEquals(before, nodeB.accounts().prepaid(btn).orElseThrow().held(), "all of it held, not more");
            // Each talks past its minute, settled on the node that holds it.
            BigDecimal charged = BigDecimal.ZERO;
            Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
            for (String id : granted) {
                Billing on = Integer.parseInt(id.substring(1)) % 2 == 0 ? billingA : billingB;
                charged = charged.add(on.settle(CallRecord.builder(id).facility(DemoData.FACILITY).station("1001")
                        .inmateId("A1001").dialed(btn).btn(btn).funding(Funding.PREPAID).startedAt(t0)
                        .acceptedAt(t0).endedAt(t0.plusSeconds(75)).outcome(CallOutcome.CUT_OFF).build()).charge());
            }
            assertEquals(money("0.30"), charged, "never more than the balance allowed");
            assertEquals(before.subtract(money("0.30")), nodeA.accounts().prepaid(btn).orElseThrow().balance());
            assertEquals(money("0.00"), nodeA.accounts().prepaid(btn).orElseThrow().held());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRestartedNodeReconcilesOnlyItsOwnCalls() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // Each node carries a funded call and a call still in the IVR.
        for (var node : List.of(new Object[] {nodeA, billingA, "a"}, new Object[] {nodeB, billingB, "b"})) {
            Store s = (Store) node[0];
            Billing b = (Billing) node[1];
            String n = (String) node[2];
            s.calls().started(StartedCall.of("ivr-" + n, DemoData.FACILITY, "1001", t0));
            s.calls().started(StartedCall.of("funded-" + n, DemoData.FACILITY, "1002", t0));
            assertInstanceOf(ReserveResult.Reserved.class, b.reserve(new ReserveRequest("funded-" + n,
                    FundingSource.debit("A1001"), 600, RATE, 60, DemoData.FACILITY, "1002", "A1001", BTN)));
            b.accepted("funded-" + n, t0.plusSeconds(5));
        }
        // Node B is killed and starts again: its reconcile must leave node A's two live calls alone.
        nodeB.close();
        nodeB = openB("node-b");
        billingB = Billing.create(nodeB);
        ReconcileReport rep = billingB.reconcile();

        assertEquals(List.of("funded-b"), rep.billedFromHeartbeat(), "node B's talking call, billed");
        assertEquals(List.of("ivr-b"), rep.recordedFromStart(), "node B's call in the IVR, recorded");
        assertEquals(Reservation.Status.OPEN, nodeA.accounts().reservation("funded-a").orElseThrow().status(),
                "node A's call is alive: its hold stays");
        assertTrue(nodeA.calls().get("funded-a").isEmpty() && nodeA.calls().get("ivr-a").isEmpty(),
                "and node A's calls get no record from node B");
        assertEquals(List.of("funded-a", "ivr-a"), nodeA.calls().unfinished().stream().map(StartedCall::callId)
                .sorted().toList(), "node A still sees its two calls in progress");
        CallRecord b = nodeB.calls().get("funded-b").orElseThrow();
        assertEquals("switch_restart", b.reason());
        // Node A ends its calls normally afterwards: nothing was taken from under it.
        var settled = billingA.settle(CallRecord.builder("funded-a").facility(DemoData.FACILITY).station("1002")
                .inmateId("A1001").dialed(BTN).btn(BTN).funding(Funding.DEBIT).startedAt(t0).acceptedAt(t0.plusSeconds(5))
                .endedAt(t0.plusSeconds(65)).outcome(CallOutcome.COMPLETED).reason("inmate_hangup").build());
        assertFalse(settled.repeated(), "node A's own settlement wrote its record");
        assertEquals(money("0.06"), settled.charge());
    }

    @Test
    void pinFailuresOnBothNodesAddUpAndTheLockHoldsOnBoth() throws Exception {
        Instant now = Instant.now();
        int max = 3;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> fs = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < 6; i++) {
                Store on = i % 2 == 0 ? nodeA : nodeB;
                fs.add(pool.submit(() -> {
                    go.await();
                    return on.inmates().recordPinFailure("A1002", max, Duration.ofMinutes(15), now);
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(nodeA.inmates().get("A1002").orElseThrow().pinLockedAt(now.plusSeconds(1)), "locked, seen from A");
        assertTrue(nodeB.inmates().get("A1002").orElseThrow().pinLockedAt(now.plusSeconds(1)), "locked, seen from B");
        // The PIN enrolled through node A (the demo data) is found through node B: the pepper is the cluster's.
        assertEquals("A1002", nodeB.inmates().findByPin(DemoData.FACILITY, "5678").orElseThrow().id());
    }

    @Test
    void aBlockSetOnOneNodeHoldsOnTheOther() {
        String number = "+15735550144";
        assertTrue(nodeB.blocks().findActive(DemoData.FACILITY, "A1001", number).isEmpty());
        nodeA.blocks().add(Block.of(number, DemoData.FACILITY, Block.Type.KEYPAD, null, "called-party", Instant.now(),
                "pressed 9 9 on node A"));
        assertEquals(1, nodeB.blocks().findActive(DemoData.FACILITY, "A1001", number).size(),
                "node B's next call to the number is blocked");
    }

    @Test
    void aNodeIdInUseByARunningNodeIsRefusedAndARestartIsNot() throws Exception {
        try (NodeIdentity a = NodeIdentity.open(dirA, "shared-id");
                ClusterNodes regA = ClusterNodes.register(nodeA, a, "host-a", "http://127.0.0.1:1", Clock.systemUTC())) {
            try (NodeIdentity b = NodeIdentity.open(dirB, "shared-id")) {
                ClusterException e = assertThrows(ClusterException.class,
                        () -> ClusterNodes.register(nodeB, b, "host-b", null, Clock.systemUTC()));
                assertTrue(e.getMessage().contains("in use by a running node on host host-a"), e.getMessage());
            }
            // The same data directory a second time, while the first process runs: refused by its lock.
            ClusterException locked = assertThrows(ClusterException.class, () -> NodeIdentity.open(dirA, "shared-id"));
            assertTrue(locked.getMessage().contains("another Kinline process"), locked.getMessage());
        }
        // Killed (never marked stopped, still "seen" a moment ago) and restarted from its own directory: welcome back.
        try (NodeIdentity again = NodeIdentity.open(dirA, "shared-id");
                ClusterNodes reg = ClusterNodes.register(nodeA, again, "host-a", null, Clock.systemUTC())) {
            assertEquals("shared-id", reg.node("shared-id").orElseThrow().nodeId());
        }
        // The directory keeps its id: a configuration that renames the node is refused with the way out.
        ClusterException renamed = assertThrows(ClusterException.class, () -> NodeIdentity.open(dirA, "other-id"));
        assertTrue(renamed.getMessage().contains("belongs to node 'shared-id'"), renamed.getMessage());
    }

    @Test
    void recordsNameTheNodeThatWroteThem() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        nodeB.calls().record(CallRecord.builder("on-b").facility(DemoData.FACILITY).station("1001").startedAt(t0)
                .outcome(CallOutcome.DENIED).reason("toll_free").funding(Funding.FREE).billedSeconds(0)
                .charge(Money.ZERO).build());
        String node = ((io.kinline.store.jdbc.JdbcStore) nodeA).db().tx(c -> io.kinline.store.jdbc.Db.one(c,
                "SELECT node_id FROM call_record WHERE call_id = 'on-b'", rs -> rs.getString(1)).orElseThrow());
        assertEquals("node-b", node);
    }
}
