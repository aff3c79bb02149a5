package io.kinline.sip;

import io.kinline.sip.testua.TestB2bua;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.kinline.sip.SipTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Wire-level checks with plain sockets: 100 Trying, 2xx retransmission, ACK timeout, rport, idle TCP. */
class RawSignallingTest {
    private SipServer sip;

    @AfterEach
    void tearDown() {
        if (sip != null) {
            sip.close();
        }
    }

    static String invite(int localPort, String branch) {
        return invite(localPort, localPort, branch);
    }

    static String invite(int viaPort, int localPort, String branch) {
        String body = SDP_GW;
        return "INVITE sip:100@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + viaPort + ";branch=z9hG4bK" + branch + ";rport\r\n"
                + "From: <sip:gw@127.0.0.1>;tag=g1\r\nTo: <sip:100@127.0.0.1>\r\nCall-ID: raw-" + branch + "\r\n"
                + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContact: <sip:gw@127.0.0.1:" + localPort + ">\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        s.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }

    private static void send(DatagramSocket s, String msg, java.net.InetSocketAddress to) throws Exception {
        byte[] b = msg.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length, to));
    }

    @Test
    void tryingRportRetransmitted2xxAndAckTimeout() throws Exception {
        TestB2bua b2b = new TestB2bua();
        b2b.direct = true;
        sip = new SipServer(config().build(), b2b);
        sip.start();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout((int) WAIT);
            String inv = invite(5999, s.getLocalPort(), "ackless"); // Via names a port we don't listen on: rport must win
            send(s, inv, sip.udpAddress());
            String ok = receive(s); // answered synchronously by the handler: no 100 Trying needed
            assertTrue(ok.startsWith("SIP/2.0 200 OK"), ok);
            assertTrue(ok.contains(";rport=" + s.getLocalPort()), "rport filled in: " + ok);
            // a retransmitted INVITE is absorbed in the Accepted state (RFC 6026)
            send(s, inv, sip.udpAddress());
            // we never ACK: the 2xx is retransmitted, then Kinline gives up with BYE
            int okCount = 1;
            String m;
            do {
                m = receive(s);
                if (m.startsWith("SIP/2.0 200 OK")) {
                    okCount++;
                }
            } while (!m.startsWith("BYE "));
            assertTrue(okCount >= 3, "2xx retransmitted until ACK timeout: " + okCount);
            assertTrue(sip.metrics().retransmissionsAbsorbed.get() >= 1);
            assertEquals(TerminationReason.ACK_TIMEOUT, b2b.aTerminated.get(WAIT, TimeUnit.MILLISECONDS));
            assertTrue(b2b.aDialog.isCompletedExceptionally(), "answer() failed without ACK");
            await("call slot released", WAIT, () -> sip.metrics().activeInboundCalls.get() == 0);
        }
    }

    @Test
    void tryingThenRinging() throws Exception {
        java.util.concurrent.CompletableFuture<InboundCall> held = new java.util.concurrent.CompletableFuture<>();
        sip = new SipServer(config().build(), held::complete); // the handler decides later
        sip.start();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout((int) WAIT);
            send(s, invite(s.getLocalPort(), "ring"), sip.udpAddress());
            assertTrue(receive(s).startsWith("SIP/2.0 100 Trying"));
            InboundCall call = held.get(WAIT, TimeUnit.MILLISECONDS);
            assertEquals("100", call.requestUser());
            assertEquals("gw", call.fromUser());
            assertEquals(SDP_GW, call.remoteSdp());
            assertEquals("udp", call.transport());
            call.ringing(null);
            assertTrue(receive(s).startsWith("SIP/2.0 180 Ringing"));
            call.reject(486, "Busy Here", java.util.Map.of("Retry-After", "30"));
            String busy = receive(s);
            assertTrue(busy.startsWith("SIP/2.0 486 Busy Here") && busy.contains("Retry-After: 30"), busy);
            // no ACK: the 486 is retransmitted (Timer G)
            assertTrue(receive(s).startsWith("SIP/2.0 486"));
        }
    }

    /**
     * RFC 3261 §8.2.2.2 (issue 10.1): the same INVITE (Call-ID, From tag, CSeq) by another branch while the first
     * transaction is live is a merged request: 482, and the call handler never sees it. Another From tag with
     * the same Call-ID is a new request.
     */
    @Test
    void aMergedInviteGets482AndANewOneReusingTheCallIdDoesNot() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<InboundCall> calls = new java.util.concurrent.LinkedBlockingQueue<>();
        sip = new SipServer(config().build(), calls::add);
        sip.start();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout((int) WAIT);
            String first = invite(s.getLocalPort(), "m1");
            send(s, first, sip.udpAddress());
            assertTrue(receive(s).startsWith("SIP/2.0 100 Trying"));
            assertNotNull(calls.poll(WAIT, TimeUnit.MILLISECONDS));
            send(s, first.replace("branch=z9hG4bKm1", "branch=z9hG4bKm2"), sip.udpAddress());
            String merged = receive(s);
            assertTrue(merged.startsWith("SIP/2.0 482 Loop Detected"), merged);
            assertTrue(merged.contains("branch=z9hG4bKm2"), merged);
            assertEquals(1, sip.metrics().mergedRequests.get());
            send(s, first.replace("branch=z9hG4bKm1", "branch=z9hG4bKm3").replace("tag=g1", "tag=g2"),
                    sip.udpAddress());
            assertTrue(receive(s).startsWith("SIP/2.0 100 Trying"));
            InboundCall second = calls.poll(WAIT, TimeUnit.MILLISECONDS);
            assertNotNull(second, "a new INVITE reusing the Call-ID is a new call");
            assertEquals("raw-m1", second.callId());
            assertTrue(calls.isEmpty(), "the merged INVITE never reached the handler");
        }
    }

    @Test
    void ackStops2xxRetransmissions() throws Exception {
        TestB2bua b2b = new TestB2bua();
        b2b.direct = true;
        sip = new SipServer(config().build(), b2b);
        sip.start();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout((int) WAIT);
            send(s, invite(s.getLocalPort(), "acked"), sip.udpAddress());
            String m;
            do {
                m = receive(s);
            } while (!m.startsWith("SIP/2.0 200"));
            String toTag = m.substring(m.indexOf("To: "), m.indexOf("\r\n", m.indexOf("To: ")));
            String ack = "ACK sip:kinline@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort()
                    + ";branch=z9hG4bKack1;rport\r\nFrom: <sip:gw@127.0.0.1>;tag=g1\r\n" + toTag
                    + "\r\nCall-ID: raw-acked\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            send(s, ack, sip.udpAddress());
            b2b.aDialog.get(WAIT, TimeUnit.MILLISECONDS);
            // after the ACK no more 200s (allow one already in flight)
            s.setSoTimeout(1000);
            int late = 0;
            try {
                while (true) {
                    if (receive(s).startsWith("SIP/2.0 200")) {
                        late++;
                    }
                }
            } catch (SocketTimeoutException expected) {
                // quiet
            }
            assertTrue(late <= 1, "2xx retransmissions stop after ACK: " + late);
            assertFalse(b2b.aTerminated.isDone());
        }
    }

    @Test
    void backloggedCoreLoopShedsNewInvitesStatelessly() throws Exception {
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        // a misbehaving handler blocks the core loop (what the docs forbid) to simulate a backlog
        sip = new SipServer(config().maxCoreBacklog(2).build(), call -> {
            entered.countDown();
            try {
                stuck.await(WAIT, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            call.reject(486, "Busy Here");
        });
        sip.start();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout((int) WAIT);
            send(s, invite(s.getLocalPort(), "blocker"), sip.udpAddress());
            assertTrue(entered.await(WAIT, TimeUnit.MILLISECONDS));
            for (int i = 0; i < 8; i++) {
                send(s, invite(s.getLocalPort(), "flood" + i), sip.udpAddress());
            }
            int shed = 0;
            while (shed == 0) {
                String m = receive(s);
                if (m.startsWith("SIP/2.0 503")) {
                    assertTrue(m.contains("Retry-After: "), m);
                    shed++;
                }
            }
            assertTrue(sip.metrics().serviceUnavailableSent.get() >= 1);
        } finally {
            stuck.countDown();
        }
    }

    @Test
    void unsupportedRequireGets420() throws Exception {
        sip = new SipServer(config().build(), call -> call.reject(486, "Busy Here"));
        sip.start();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout((int) WAIT);
            String inv = invite(s.getLocalPort(), "req100rel").replace("Max-Forwards: 70\r\n",
                    "Max-Forwards: 70\r\nRequire: 100rel, timer\r\n");
            send(s, inv, sip.udpAddress());
            String r = receive(s);
            assertTrue(r.startsWith("SIP/2.0 420 Bad Extension"), r);
            assertTrue(r.contains("Unsupported: 100rel"), r);
        }
    }

    @Test
    void receivedAndRportRouting() throws Exception {
        sip = new SipServer(config().build(), null);
        sip.start();
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout((int) WAIT);
            for (String via : new String[] {"192.0.2.1:5062;branch=z9hG4bKr1;rport",
                    "192.0.2.1:" + s.getLocalPort() + ";branch=z9hG4bKr2"}) {
                String opt = "OPTIONS sip:kinline@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP " + via
                        + "\r\nFrom: <sip:p@192.0.2.1>;tag=1\r\nTo: <sip:k@127.0.0.1>\r\nCall-ID: rr" + via.hashCode()
                        + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
                send(s, opt, sip.udpAddress());
                String r = receive(s); // arrives here: by rport, or by received + the Via port
                assertTrue(r.startsWith("SIP/2.0 200"), r);
                assertTrue(r.contains("received=127.0.0.1"), r);
                if (via.contains("rport")) {
                    assertTrue(r.contains("rport=" + s.getLocalPort()), r);
                }
            }
        }
    }

    @Test
    void idleTcpConnectionIsClosed() throws Exception {
        sip = new SipServer(config().tcpIdleTimeout(Duration.ofMillis(300)).build(), null);
        sip.start();
        try (Socket s = new Socket(sip.tcpAddress().getAddress(), sip.tcpAddress().getPort())) {
            s.setSoTimeout((int) WAIT);
            assertEquals(-1, s.getInputStream().read(), "server closed the idle connection");
        }
    }
}
