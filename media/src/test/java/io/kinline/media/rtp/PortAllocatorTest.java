package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaConfig;
import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

    @Test
    void handsOutEvenPortsRoundRobinAndReusesReleased() {
        PortAllocator a = new PortAllocator(10001, 10008); // even pairs: 10002, 10004, 10006 (10008 has no RTCP)
        assertEquals(3, a.capacity());
        assertEquals(10002, a.allocate());
        assertEquals(10004, a.allocate());
        assertEquals(10006, a.allocate());
        assertEquals(-1, a.allocate());
        a.release(10004);
        a.release(10004);
        a.release(10005); // odd: ignored
        assertEquals(1, a.allocate() == 10004 ? 1 : 0);
        assertEquals(3, a.inUse());
        a.release(10002);
        a.release(10006);
        // Round robin: the cursor moves on rather than reusing the most recently released port at once.
        int next = a.allocate();
        assertEquals(10006, next);
    }

    @Test
    void aRestartedEngineDoesNotStartWhereTheLastOneDid() {
        // The phones of a killed node's calls keep sending RTP to the ports those calls had, which a plain round
        // robin from the bottom of the range hands to the restarted node's first calls (the cluster fault test
        // saw their PINs fail on the other calls' keys). Twenty restarts over 2,000 pairs never all start at the
        // bottom (1 chance in 2000^20), and their first ports are spread over the range.
        java.util.Set<Integer> firsts = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            int first = PortAllocator.startingAnywhere(12000, 15999).allocate();
            assertTrue(first >= 12000 && first <= 15998 && first % 2 == 0, "an even port of the range: " + first);
            firsts.add(first);
        }
        assertTrue(firsts.size() > 10, "first ports spread over the range: " + firsts);
        PortAllocator a = PortAllocator.startingAnywhere(10001, 10008);
        java.util.Set<Integer> all = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            all.add(a.allocate());
        }
        assertEquals(java.util.Set.of(10002, 10004, 10006), all, "still every pair, once");
        assertEquals(-1, a.allocate());
    }

    @Test
    void aRestartContinuesPastTheSavedPortAndWraps() {
        PortAllocator a = new PortAllocator(12000, 12019); // 10 pairs: 12000 .. 12018
        a.continueAt(12006, 2); // the last run was about to hand out 12006: skip two pairs past it
        assertEquals(12010, a.nextPort());
        assertEquals(12010, a.allocate());
        a.continueAt(12016, 3); // wraps: pair 8 + 3 = pair 1
        assertEquals(12002, a.allocate());
        a.continueAt(99999, 1); // not a port of the range: nothing changes
        assertEquals(12004, a.nextPort());
    }

    /** An even base with {@code n} free ports, below the ephemeral range (other processes run tests too). */
    static int freeRange(int n) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 21000 + 2 * ThreadLocalRandom.current().nextInt(0, 5000);
            boolean free = true;
            for (int p = base; p < base + n && free; p++) {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", p))) {
                    // free
                } catch (java.net.SocketException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free port range");
    }

    @Test
    void engineSkipsPortsTakenByOthersAndFailsWhenExhausted() throws Exception {
        int base = freeRange(6);
        MediaConfig cfg = MediaConfig.builder().portRange(base, base + 5).eventLoopThreads(1).build(); // 3 pairs
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress("127.0.0.1", base + 3));
                NettyMediaEngine engine = NettyMediaEngine.create(cfg, new TestPrompts())) {
            MediaEndpoint a = engine.createEndpoint("x", "inmate", new Events());
            MediaEndpoint b = engine.createEndpoint("x", "called", new Events());
            // base+2's RTCP port (base+3) is taken by another socket: that pair is skipped (the engine's round
            // robin starts anywhere in the range, so the two may come in either order).
            assertEquals(java.util.Set.of(base, base + 4), java.util.Set.of(a.localAddress().getPort(),
                    b.localAddress().getPort()));
            MediaException e = assertThrows(MediaException.class, () -> engine.createEndpoint("y", "inmate", new Events()));
            assertTrue(e.getMessage().contains("no free RTP port"), e.getMessage());
            a.close();
            Events.await(() -> engine.portsInUse() == 1, "port returned on close");
            squatter.close();
            MediaEndpoint c = engine.createEndpoint("z", "inmate", new Events());
            assertNotEquals(b.localAddress().getPort(), c.localAddress().getPort());
            assertEquals(0, c.localAddress().getPort() % 2);
        }
    }
}
