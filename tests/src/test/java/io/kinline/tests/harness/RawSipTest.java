package io.kinline.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.tests.net.RawSip;
import io.kinline.tests.peer.SipPeer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawSipTest {

    private static String options(RawSip raw, int targetPort, String branch) {
        return "OPTIONS sip:ping@127.0.0.1:" + targetPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + raw.transport() + " " + raw.sentBy() + ";branch=z9hG4bK" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:raw@127.0.0.1>;tag=r1\r\n"
                + "To: <sip:ping@127.0.0.1>\r\n"
                + "Call-ID: raw-" + branch + "@127.0.0.1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void udpAndTcpRequestsGetResponsesAndGarbageDoesNot() throws Exception {
        try (SipPeer peer = SipPeer.builder().name("target").build()) {
            InetSocketAddress target = peer.address();
            try (RawSip udp = RawSip.udp()) {
                udp.send(target, "this is not SIP\r\n\r\n");
                udp.send(target, options(udp, peer.port(), "u1"));
                String resp = udp.awaitStatusAtLeast(200, Duration.ofSeconds(5));
                assertNotNull(resp);
                assertEquals(200, RawSip.status(resp));
                assertTrue(resp.contains("Call-ID: raw-u1@127.0.0.1"), resp);
                assertEquals(1, udp.received().size(), "garbage got no answer");
            }
            try (RawSip tcp = RawSip.tcp(target)) {
                // two requests in one write: the framing must split the two responses
                tcp.send(target, options(tcp, peer.port(), "t1") + options(tcp, peer.port(), "t2"));
                String r1 = tcp.awaitStatusAtLeast(200, Duration.ofSeconds(5));
                String r2 = tcp.awaitStatusAtLeast(200, Duration.ofSeconds(5));
                assertNotNull(r1);
                assertNotNull(r2);
                assertTrue(r1.contains("raw-t1") && r2.contains("raw-t2"), r1 + r2);
            }
            try (RawSip udp = RawSip.udp()) {
                String register = "REGISTER sip:127.0.0.1:" + peer.port() + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP " + udp.sentBy() + ";branch=z9hG4bKreg1\r\n"
                        + "Max-Forwards: 70\r\nFrom: <sip:kinline@127.0.0.1>;tag=r2\r\n"
                        + "To: <sip:kinline@127.0.0.1>\r\nCall-ID: reg-1@127.0.0.1\r\nCSeq: 1 REGISTER\r\n"
                        + "Contact: <sip:kinline@" + udp.sentBy() + ">\r\nExpires: 120\r\nContent-Length: 0\r\n\r\n";
                udp.send(target, register);
                String resp = udp.awaitStatusAtLeast(200, Duration.ofSeconds(5));
                assertEquals(200, RawSip.status(resp), resp);
                assertTrue(resp.contains("expires=120"), resp);
                assertNotNull(peer.awaitRegistration(Duration.ofSeconds(1)));
            }
            List<String> one = RawSip.exchangeUdp(target, "garbage".getBytes(), Duration.ofMillis(300));
            assertTrue(one.isEmpty());
            assertEquals(3, peer.requestsSeen().stream().filter(e -> e.isRequest("OPTIONS")).count());
        }
    }
}
