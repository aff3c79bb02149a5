package io.kinline.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.billing.Billing;
import io.kinline.cluster.ClusterNodes;
import io.kinline.cluster.NodeIdentity;
import io.kinline.script.PinResult;
import io.kinline.script.Usage;
import io.kinline.store.CallOutcome;
import io.kinline.store.CallRecord;
import io.kinline.store.DemoData;
import io.kinline.store.Funding;
import io.kinline.store.Money;
import io.kinline.store.Store;
import io.kinline.store.StoreConfig;
import io.kinline.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Daily call limits and cool-downs hold across the nodes of a cluster (issue 14): two nodes on one PostgreSQL,
 * each with its own store, billing and call services, as two Kinline processes have. The daily limit and the
 * cool-down are read from the call records, so a call that ended on one node counts on the other; and an
 * inmate's call in progress on one node counts on the other too, so two calls placed at the same instant from two
 * phones cannot both pass a limit of one.
 */
class CrossNodeLimitsTest {

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private Store nodeA;
    private Store nodeB;
    private NodeIdentity idA;
    private NodeIdentity idB;
    private ClusterNodes regA;
    private ClusterNodes regB;

    @BeforeEach
    void twoNodesOnOneDatabase() throws Exception {
        StoreConfig a = TestDatabases.postgres(dirA);
        idA = NodeIdentity.open(dirA, "node-a");
        nodeA = Store.open(a.withNodeId("node-a"));
        // The cluster's PIN pepper, provisioned to the second node as a file.
        Files.createDirectories(dirB.resolve("secrets"));
        Files.copy(dirA.resolve("secrets/pin-pepper"), dirB.resolve("secrets/pin-pepper"));
        idB = NodeIdentity.open(dirB, "node-b");
        nodeB = Store.open(new StoreConfig(dirB, a.jdbcUrl(), a.user(), a.password(), 10, "node-b"));
        regA = ClusterNodes.register(nodeA, idA, "host-a", null, Clock.systemUTC());
        regB = ClusterNodes.register(nodeB, idB, "host-b", null, Clock.systemUTC());
        DemoData.load(nodeA);
        nodeA.facilities().update(nodeA.facilities().get(DemoData.FACILITY).orElseThrow().toBuilder()
                .callsPerDay(1).cooldownSeconds(600).build());
    }

    @AfterEach
    void close() {
        for (AutoCloseable c : new AutoCloseable[] {regA, regB, nodeA, nodeB, idA, idB}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    /** A call of John Doe (A1001) from {@code station}, past its PIN, on {@code node}. */
    private StoreCallServices callOn(Store node, String callId, String station, Instant now) {
        var atOffhook = node.facilities().station(station).orElseThrow();
        var services = new StoreCallServices(callId, node, Billing.create(node), node == nodeA ? dirA : dirB, atOffhook,
                () -> null, () -> null);
        services.started(now);
        services.station(station).orElseThrow();
        assertInstanceOf(PinResult.Accepted.class, services.verifyPin(DemoData.FACILITY, "1234", now),
                "the PIN enrolled through one node works on the other (shared pepper)");
        return services;
    }

    @Test
    void aCallThatEndedOnOneNodeCountsOnTheOther() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        nodeA.calls().record(CallRecord.builder("done-on-a").facility(DemoData.FACILITY).station("1001")
                .inmateId("A1001").dialed("+15735550100").btn("+15735550100").funding(Funding.DEBIT)
                .startedAt(now.minusSeconds(300)).acceptedAt(now.minusSeconds(240)).endedAt(now.minusSeconds(60))
                .outcome(CallOutcome.COMPLETED).billedSeconds(180).charge(Money.ZERO).build());

        Usage onB = callOn(nodeB, "next-on-b", "1002", now).usage("A1001", now);

        assertEquals(1, onB.callsToday(), "node B sees the call node A recorded: the daily limit of 1 is reached");
        assertEquals(now.minusSeconds(60), onB.lastCallEnded(), "and the cool-down runs from its end");
    }

    /**
     * The attack: the same inmate (a shared PIN) lifts two phones at once, one reaching each node. Each node's
     * policy check reads the records: neither call has one yet, so without more both see no call today and
     * no last call, and both pass a daily limit of one and a ten-minute cool-down.
     */
    @RepeatedTest(3)
    void twoCallsAtOnceOnTwoNodesCannotBothPassALimitOfOne() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        StoreCallServices onA = callOn(nodeA, "at-once-a", "1001", now);
        StoreCallServices onB = callOn(nodeB, "at-once-b", "1002", now);
        CyclicBarrier go = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Usage>> both = new ArrayList<>();
            for (StoreCallServices s : List.of(onA, onB)) {
                both.add(pool.submit(() -> {
                    go.await();
                    return s.usage("A1001", now);
                }));
            }
            Usage a = both.get(0).get();
            Usage b = both.get(1).get();
            Usage first = a.callsToday() == 0 ? a : b;
            Usage second = first == a ? b : a;
            assertEquals(0, first.callsToday(), "one call passes: " + a + " / " + b);
            assertNull(first.lastCallEnded(), "and has no cool-down to wait: " + first);
            assertEquals(1, second.callsToday(), "the other counts the first, in progress on the other node: " + second);
            assertNotNull(second.lastCallEnded(), "and waits out the cool-down behind it: " + second);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCallInProgressOnAKilledNodeStopsCountingOnceTheNodeIsSilent() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        callOn(nodeA, "on-dead-a", "1001", now).usage("A1001", now);
        // Node A dies (no clean stop): its heartbeat stops, and once its row is older than ClusterNodes.LIVE its
        // calls are those of a dead node (reconciled when it comes back).
        regA.close();
        regA = null;
        ((io.kinline.store.jdbc.JdbcStore) nodeB).db().tx(c -> io.kinline.store.jdbc.Db.update(c,
                "UPDATE cluster_node SET stopped_at = NULL, seen_at = ? WHERE node_id = 'node-a'",
                Instant.now().minus(ClusterNodes.LIVE).minusSeconds(1)));
        Usage onB = callOn(nodeB, "after-death-b", "1002", now).usage("A1001", now);
        assertEquals(0, onB.callsToday(), "a dead node's call does not hold the inmate: " + onB);
        assertTrue(onB.lastCallEnded() == null, "nor starts a cool-down: " + onB);
    }
}
