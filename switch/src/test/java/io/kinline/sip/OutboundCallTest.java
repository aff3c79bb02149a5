package io.kinline.sip;

import io.kinline.sip.testua.JainUa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sip.header.Header;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.message.Request;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.kinline.sip.SipTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** Outbound calls to a JAIN-SIP trunk: failure mapping, timeouts, digest authentication. */
class OutboundCallTest {
    private JainUa trunk;
    private SipServer sip;

    @AfterEach
    void tearDown() {
        if (sip != null) {
            sip.close();
        }
        if (trunk != null) {
            trunk.close();
        }
    }

    static final class Recorder implements OutboundCallListener {
        final CompletableFuture<Integer> failed = new CompletableFuture<>();
        final CompletableFuture<Dialog> answered = new CompletableFuture<>();
        final List<Integer> provisional = new CopyOnWriteArrayList<>();

        @Override
        public void onProvisional(OutboundCall call, int status, String sdp) {
            provisional.add(status);
        }

        @Override
        public void onAnswered(OutboundCall call, Dialog dialog, String sdp) {
            answered.complete(dialog);
        }

        @Override
        public void onFailed(OutboundCall call, int status, String reason) {
            failed.complete(status);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {486, 480, 503})
    void trunkFailureIsReported(int status) throws Exception {
        trunk = new JainUa("trunk", "udp");
        sip = new SipServer(config(trunk.address(), "udp").build(), call -> call.reject(500, "unused"));
        sip.start();
        Recorder r = new Recorder();
        sip.placeCall(OutboundCallRequest.of("15557654321", SDP_GW), r, null);
        JainUa.Incoming in = trunk.awaitRequest(Request.INVITE, WAIT);
        assertNotNull(in);
        trunk.respond(in, 180, null);
        trunk.respond(in, status, null);
        assertEquals(status, r.failed.get(WAIT, TimeUnit.MILLISECONDS));
        assertEquals(List.of(180), r.provisional);
        await("transactions gone", WAIT, () -> sip.transactionCount() == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void silentTrunkTimesOutAs408(String transport) throws Exception {
        InetSocketAddress blackHole;
        java.io.Closeable hole;
        if ("udp".equals(transport)) {
            DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            hole = s;
            blackHole = new InetSocketAddress("127.0.0.1", s.getLocalPort());
        } else {
            java.net.ServerSocket s = new java.net.ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            hole = s; // accepts (backlog) but never reads or answers
            blackHole = new InetSocketAddress("127.0.0.1", s.getLocalPort());
        }
        try (hole) {
            sip = new SipServer(config(blackHole, transport).build(), null);
            sip.start();
            Recorder r = new Recorder();
            sip.placeCall(OutboundCallRequest.of("15557654321", SDP_GW), r, null);
            assertEquals(408, r.failed.get(WAIT, TimeUnit.MILLISECONDS), "Timer B → 408");
            if ("udp".equals(transport)) {
                assertTrue(sip.metrics().retransmissionsSent.get() > 0, "INVITE retransmitted over UDP");
            }
            await("transactions gone", WAIT, () -> sip.transactionCount() == 0);
        }
    }

    @Test
    void nonSuccessIsAckedOnSameBranch() throws Exception {
        try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            raw.setSoTimeout((int) WAIT);
            sip = new SipServer(config(new InetSocketAddress("127.0.0.1", raw.getLocalPort()), "udp").build(), null);
            sip.start();
            Recorder r = new Recorder();
            sip.placeCall(OutboundCallRequest.of("555", SDP_GW), r, null);
            java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[65536], 65536);
            raw.receive(p);
            String invite = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            assertTrue(invite.startsWith("INVITE sip:555@127.0.0.1:"), invite);
            String via = header(invite, "Via");
            String resp = "SIP/2.0 486 Busy Here\r\nVia: " + via + "\r\nFrom: " + header(invite, "From")
                    + "\r\nTo: " + header(invite, "To") + ";tag=busy1\r\nCall-ID: " + header(invite, "Call-ID")
                    + "\r\nCSeq: " + header(invite, "CSeq") + "\r\nContent-Length: 0\r\n\r\n";
            byte[] b = resp.getBytes(StandardCharsets.UTF_8);
            raw.send(new java.net.DatagramPacket(b, b.length, p.getSocketAddress()));
            String ack;
            do { // skip INVITE retransmissions that crossed the 486
                raw.receive(p);
                ack = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            } while (ack.startsWith("INVITE"));
            assertTrue(ack.startsWith("ACK sip:555@"), ack);
            assertEquals(via, header(ack, "Via"), "ACK for non-2xx uses the INVITE's branch");
            assertTrue(header(ack, "To").contains("tag=busy1"));
            assertTrue(header(ack, "CSeq").endsWith("ACK"));
            assertEquals(486, r.failed.get(WAIT, TimeUnit.MILLISECONDS));
            // a retransmitted 486 is absorbed and re-ACKed
            raw.send(new java.net.DatagramPacket(b, b.length, p.getSocketAddress()));
            raw.receive(p);
            assertTrue(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).startsWith("ACK "));
        }
    }

    @Test
    void secondForkIsAckedAndByed() throws Exception {
        try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            raw.setSoTimeout((int) WAIT);
            sip = new SipServer(config(new InetSocketAddress("127.0.0.1", raw.getLocalPort()), "udp").build(), null);
            sip.start();
            Recorder r = new Recorder();
            sip.placeCall(OutboundCallRequest.of("555", SDP_GW), r, null);
            java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[65536], 65536);
            raw.receive(p);
            String invite = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            byte[] firstOk = null;
            for (String tag : new String[] {"forkA", "forkB"}) {
                String ok = "SIP/2.0 200 OK\r\nVia: " + header(invite, "Via") + "\r\nFrom: " + header(invite, "From")
                        + "\r\nTo: " + header(invite, "To") + ";tag=" + tag + "\r\nCall-ID: "
                        + header(invite, "Call-ID") + "\r\nCSeq: " + header(invite, "CSeq")
                        + "\r\nContact: <sip:" + tag + "@127.0.0.1:" + raw.getLocalPort() + ">"
                        + "\r\nContent-Type: application/sdp\r\nContent-Length: " + SDP_TRUNK.length() + "\r\n\r\n"
                        + SDP_TRUNK;
                byte[] b = ok.getBytes(StandardCharsets.UTF_8);
                if (firstOk == null) {
                    firstOk = b;
                }
                raw.send(new java.net.DatagramPacket(b, b.length, p.getSocketAddress()));
            }
            Dialog d = r.answered.get(WAIT, TimeUnit.MILLISECONDS);
            assertEquals("forkA", d.remoteTag());
            boolean ackA = false, ackB = false, byeB = false;
            long deadline = System.currentTimeMillis() + WAIT;
            while (!(ackA && ackB && byeB) && System.currentTimeMillis() < deadline) {
                raw.receive(p);
                String m = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                ackA |= m.startsWith("ACK sip:forkA@");
                ackB |= m.startsWith("ACK sip:forkB@");
                byeB |= m.startsWith("BYE sip:forkB@");
                assertFalse(m.startsWith("BYE sip:forkA@"), "the first fork stays up");
            }
            assertTrue(ackA && ackB && byeB, "ACK both forks, BYE the second");
            assertEquals(DialogState.CONFIRMED, d.state());
            // a retransmitted 2xx is ACKed again (RFC 3261 §13.2.2.4)
            raw.send(new java.net.DatagramPacket(firstOk, firstOk.length, p.getSocketAddress()));
            String again;
            do {
                raw.receive(p);
                again = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            } while (!again.startsWith("ACK ") || again.startsWith("ACK sip:forkB@"));
            assertTrue(again.startsWith("ACK sip:forkA@"), again);
        }
    }

    private static String respond(String req, int status, String reason, String toTag) {
        return "SIP/2.0 " + status + " " + reason + "\r\nVia: " + header(req, "Via") + "\r\nFrom: "
                + header(req, "From") + "\r\nTo: " + header(req, "To") + (toTag == null ? "" : ";tag=" + toTag)
                + "\r\nCall-ID: " + header(req, "Call-ID") + "\r\nCSeq: " + header(req, "CSeq")
                + "\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void cancelWaitsForProvisional() throws Exception {
        try (DatagramSocket raw = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            raw.setSoTimeout((int) WAIT);
            sip = new SipServer(config(new InetSocketAddress("127.0.0.1", raw.getLocalPort()), "udp").build(), null);
            sip.start();
            Recorder r = new Recorder();
            OutboundCall call = sip.placeCall(OutboundCallRequest.of("555", SDP_GW), r, null);
            java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[65536], 65536);
            raw.receive(p);
            String invite = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            call.cancel();
            // RFC 3261 §9.1: no CANCEL before a provisional response (only INVITE retransmissions may arrive)
            raw.setSoTimeout(400);
            try {
                while (true) {
                    raw.receive(p);
                    assertTrue(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).startsWith("INVITE"));
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // good
            }
            raw.setSoTimeout((int) WAIT);
            byte[] ringing = respond(invite, 180, "Ringing", "t1").getBytes(StandardCharsets.UTF_8);
            raw.send(new java.net.DatagramPacket(ringing, ringing.length, p.getSocketAddress()));
            String cancel;
            do {
                raw.receive(p);
                cancel = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            } while (cancel.startsWith("INVITE"));
            assertTrue(cancel.startsWith("CANCEL sip:555@"), cancel);
            assertEquals(header(invite, "Via"), header(cancel, "Via"), "CANCEL uses the INVITE's branch");
            byte[] ok = respond(cancel, 200, "OK", "t1").getBytes(StandardCharsets.UTF_8);
            byte[] terminated = respond(invite, 487, "Request Terminated", "t1").getBytes(StandardCharsets.UTF_8);
            raw.send(new java.net.DatagramPacket(ok, ok.length, p.getSocketAddress()));
            raw.send(new java.net.DatagramPacket(terminated, terminated.length, p.getSocketAddress()));
            assertEquals(487, r.failed.get(WAIT, TimeUnit.MILLISECONDS));
            await("transactions gone", WAIT, () -> sip.transactionCount() == 0);
        }
    }

    static String header(String msg, String name) {
        for (String line : msg.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return null;
    }

    @Test
    void refusedTcpConnectionIs503() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        sip = new SipServer(config(new InetSocketAddress("127.0.0.1", closedPort), "tcp").build(), null);
        sip.start();
        Recorder r = new Recorder();
        sip.placeCall(OutboundCallRequest.of("555", SDP_GW), r, null);
        assertEquals(503, r.failed.get(WAIT, TimeUnit.MILLISECONDS), "transport error → 503");
        assertTrue(sip.metrics().transportErrors.get() > 0);
        sip.close();
        // API calls after close neither throw nor hang
        sip.placeCall(OutboundCallRequest.of("556", SDP_GW), new Recorder(), null);
        sip = null;
    }

    @Test
    void nonInviteTimeoutIs408() throws Exception {
        trunk = new JainUa("trunk", "udp");
        sip = new SipServer(config(trunk.address(), "udp").build(), null);
        sip.start();
        Recorder r = new Recorder();
        sip.placeCall(OutboundCallRequest.of("100", SDP_GW), r, null);
        JainUa.Incoming in = trunk.awaitRequest(Request.INVITE, WAIT);
        trunk.respond(in, 200, SDP_TRUNK);
        Dialog d = r.answered.get(WAIT, TimeUnit.MILLISECONDS);
        trunk.close(); // the peer vanishes: the in-dialog OPTIONS times out (Timer F)
        trunk = null;
        assertEquals(408, d.options().toCompletableFuture().get(WAIT, TimeUnit.MILLISECONDS));
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void digestAuthTowardTrunk() throws Exception {
        trunk = new JainUa("trunk", "udp");
        sip = new SipServer(config(trunk.address(), "udp").trunkCredentials("kin", "s3cret").build(), null);
        sip.start();
        Recorder r = new Recorder();
        sip.placeCall(OutboundCallRequest.of("15550009999", SDP_GW), r, null);
        JainUa.Incoming first = trunk.awaitRequest(Request.INVITE, WAIT);
        assertNotNull(first);
        assertNull(first.request().getHeader(ProxyAuthorizationHeader.NAME));
        Header challenge = trunk.headerFactory.createHeader("Proxy-Authenticate",
                "Digest realm=\"carrier\", nonce=\"abc123\", qop=\"auth\", algorithm=MD5, opaque=\"xyz\"");
        trunk.respond(first, 407, null, challenge);
        JainUa.Incoming second = trunk.awaitRequest(Request.INVITE, WAIT);
        assertNotNull(second, "INVITE re-sent with credentials");
        ProxyAuthorizationHeader auth = (ProxyAuthorizationHeader) second.request()
                .getHeader(ProxyAuthorizationHeader.NAME);
        assertNotNull(auth);
        assertEquals("kin", auth.getUsername());
        assertEquals("carrier", auth.getRealm());
        assertEquals("xyz", auth.getOpaque());
        String uri = auth.getURI().toString();
        String ha1 = md5("kin:carrier:s3cret");
        String ha2 = md5("INVITE:" + uri);
        String nc = auth.getParameter("nc");
        String expected = md5(ha1 + ":abc123:" + nc + ":" + auth.getCNonce() + ":auth:" + ha2);
        assertEquals(expected, auth.getResponse());
        trunk.respond(second, 200, SDP_TRUNK);
        Dialog d = r.answered.get(WAIT, TimeUnit.MILLISECONDS);
        assertEquals(SDP_TRUNK, d.remoteSdp());
        assertFalse(r.failed.isDone());
        d.bye();
        assertNotNull(trunk.awaitRequest(Request.BYE, WAIT));
    }

    @Test
    void secondChallengeFails() throws Exception {
        trunk = new JainUa("trunk", "udp");
        sip = new SipServer(config(trunk.address(), "udp").trunkCredentials("kin", "wrong").build(), null);
        sip.start();
        Recorder r = new Recorder();
        sip.placeCall(OutboundCallRequest.of("15550009999", SDP_GW), r, null);
        for (int i = 0; i < 2; i++) {
            JainUa.Incoming in = trunk.awaitRequest(Request.INVITE, WAIT);
            assertNotNull(in);
            trunk.respond(in, 401, null, trunk.headerFactory.createHeader("WWW-Authenticate",
                    "Digest realm=\"carrier\", nonce=\"n" + i + "\", algorithm=MD5"));
        }
        assertEquals(401, r.failed.get(WAIT, TimeUnit.MILLISECONDS), "auth retried once only");
    }
}
