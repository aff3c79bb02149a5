package io.kinline.sip;

import io.kinline.sip.testua.JainUa;
import io.kinline.sip.testua.TestB2bua;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.sip.ResponseEvent;
import javax.sip.message.Request;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.kinline.sip.SipTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A call through a UDP relay that drops every third datagram, or 30% at random with a fixed seed, in each
 * direction still completes.
 */
class LossyUdpTest {
    private JainUa gw;
    private SipServer sip;
    private Relay relay;

    @AfterEach
    void tearDown() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (sip != null) {
            sip.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    /** Two sockets on 127.0.0.1: front faces the UA, back faces Kinline. Drops every 3rd packet per direction. */
    static final class Relay implements AutoCloseable {
        final DatagramChannel front = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        final DatagramChannel back = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        final AtomicInteger dropped = new AtomicInteger();
        final AtomicInteger forwarded = new AtomicInteger();
        volatile SocketAddress ua;
        final Thread t1;
        final Thread t2;

        final boolean random;

        /** {@code random}: drop 30% at random (fixed seed) instead of every third datagram. */
        Relay(InetSocketAddress server, boolean random) throws Exception {
            this.random = random;
            t1 = pump(front, back, () -> server, true);
            t2 = pump(back, front, () -> ua, false);
        }

        private Thread pump(DatagramChannel in, DatagramChannel out, java.util.function.Supplier<SocketAddress> to,
                            boolean learn) {
            Thread t = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocate(65536);
                java.util.Random rnd = new java.util.Random(learn ? 3 : 12);
                int n = 0;
                while (in.isOpen()) {
                    try {
                        buf.clear();
                        SocketAddress from = in.receive(buf);
                        if (learn) {
                            ua = from;
                        }
                        if (random ? rnd.nextInt(100) < 30 : ++n % 3 == 0) {
                            dropped.incrementAndGet();
                            continue;
                        }
                        buf.flip();
                        SocketAddress dest = to.get();
                        if (dest != null) {
                            out.send(buf, dest);
                            forwarded.incrementAndGet();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "relay");
            t.setDaemon(true);
            t.start();
            return t;
        }

        InetSocketAddress frontAddress() throws Exception {
            return (InetSocketAddress) front.getLocalAddress();
        }

        @Override
        public void close() throws Exception {
            front.close();
            back.close();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void callCompletesDespiteLoss(boolean randomLoss) throws Exception {
        gw = new JainUa("gw", "udp");
        TestB2bua b2b = new TestB2bua();
        b2b.direct = true;
        sip = new SipServer(config().build(), b2b);
        sip.start();
        relay = new Relay(sip.udpAddress(), randomLoss);
        for (int i = 0; i < 3; i++) { // several OPTIONS and a call: every third datagram is lost
            gw.send(gw.newRequest(Request.OPTIONS, relay.frontAddress(), "ping", null));
            assertNotNull(gw.awaitResponse(200, Request.OPTIONS, 3 * WAIT));
        }
        gw.invite(relay.frontAddress(), "100", SDP_GW);
        ResponseEvent ok = gw.awaitResponse(200, Request.INVITE, 3 * WAIT);
        assertNotNull(ok, "call answered through the lossy relay");
        gw.ack(ok);
        Dialog d = b2b.aDialog.get(3 * WAIT, TimeUnit.MILLISECONDS);
        assertEquals(DialogState.CONFIRMED, d.state());
        assertTrue(relay.dropped.get() > 0, "the relay really dropped packets");
        if (!randomLoss) { // every third datagram: the INVITE's 200 or its retransmission path is always hit
            assertTrue(sip.metrics().retransmissionsAbsorbed.get() + sip.metrics().retransmissionsSent.get() > 0);
        }
        d.bye();
        assertNotNull(gw.awaitRequest(Request.BYE, WAIT));
    }
}
