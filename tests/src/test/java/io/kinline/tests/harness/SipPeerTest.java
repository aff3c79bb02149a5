package io.kinline.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.tests.peer.ClientCall;
import io.kinline.tests.peer.DigestAuth;
import io.kinline.tests.peer.SipEvent;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.peer.ServerCall;
import io.kinline.tests.peer.UasBehaviour;
import io.kinline.tests.rtp.RtpPeer;
import io.kinline.tests.rtp.Sdp;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JAIN-SIP test peer against itself: caller role vs called-party role. */
class SipPeerTest {

    private static final Duration WAIT = Duration.ofSeconds(8);

    private SipPeer phone;
    private SipPeer trunk;

    @BeforeEach
    void start() {
        trunk = SipPeer.builder().name("trunk").build();
        phone = SipPeer.builder().name("phone").build();
    }

    @AfterEach
    void stop() {
        if (phone != null) {
            phone.close();
        }
        if (trunk != null) {
            trunk.close();
        }
    }

    @Test
    void basicCallWithSdpAndByeFromCaller() throws Exception {
        try (RtpPeer a = RtpPeer.open(); RtpPeer b = RtpPeer.open()) {
            trunk.behaviour(UasBehaviour.answer(100, b::answer));
            ClientCall call = phone.call(trunk.uri("15551234567"), "inmate", a.offer());
            assertNotNull(call.awaitResponse(180, WAIT), "180");
            SipEvent ok = call.awaitFinal(WAIT);
            assertNotNull(ok);
            assertEquals(200, ok.status());
            a.acceptAnswer(call.remoteSdp());
            assertEquals(b.port(), Sdp.parse(call.remoteSdp()).port());

            ServerCall incoming = trunk.awaitIncomingCall(WAIT);
            assertNotNull(incoming);
            assertEquals("sip:15551234567@127.0.0.1:" + trunk.port(), incoming.requestUri());
            assertEquals(a.port(), Sdp.parse(incoming.remoteSdp()).port());
            assertNotNull(incoming.awaitRequest("ACK", WAIT), "ACK reached the UAS");

            call.bye();
            assertNotNull(call.awaitResponse("BYE", 200, WAIT));
            assertNotNull(incoming.awaitRequest("BYE", WAIT));
            assertEquals(ServerCall.State.TERMINATED, incoming.state());
        }
    }

    @Test
    void calledPartyHangsUpAfterDelay() {
        trunk.behaviour(UasBehaviour.answerThenHangup(0, UasBehaviour.DUMMY_SDP, 300));
        ClientCall call = phone.call(trunk.uri("bob"), "alice", null);
        assertEquals(200, call.awaitFinalStatus(WAIT));
        SipEvent bye = call.awaitRequest("BYE", WAIT);
        assertNotNull(bye, "BYE from the called party");
        ServerCall incoming = trunk.awaitIncomingCall(WAIT);
        assertNotNull(incoming.awaitResponse("BYE", 200, WAIT));
    }

    @Test
    void closeFreesThePortForANewPeer() {
        int port = trunk.port();
        trunk.close();
        trunk = SipPeer.builder().name("again").port(port).build();
        trunk.behaviour(UasBehaviour.answer());
        assertEquals(200, phone.call(trunk.uri("x") + ";transport=tcp", "a", null).awaitFinalStatus(WAIT));
        assertEquals(200, phone.call(trunk.uri("y"), "a", null).awaitFinalStatus(WAIT));
    }

    @Test
    void busyIsRejected() {
        trunk.behaviour(UasBehaviour.reject(50, 486));
        ClientCall call = phone.call(trunk.uri("bob"), "alice", null);
        assertNotNull(call.awaitResponse(180, WAIT));
        assertEquals(486, call.awaitFinalStatus(WAIT));
    }

    @Test
    void cancelWhileRinging() {
        trunk.behaviour(UasBehaviour.ringForever());
        ClientCall call = phone.call(trunk.uri("bob"), "alice", null);
        assertNotNull(call.awaitResponse(180, WAIT));
        call.cancel();
        assertNotNull(call.awaitResponse("CANCEL", 200, WAIT));
        assertEquals(487, call.awaitFinalStatus(WAIT));
        ServerCall incoming = trunk.awaitIncomingCall(WAIT);
        assertNotNull(incoming.awaitRequest("CANCEL", WAIT));
        assertEquals(ServerCall.State.CANCELLED, incoming.state());
    }

    @Test
    void behaviourIsChosenPerCall() {
        trunk.behaviour(inv -> inv.requestUri().contains("busy") ? UasBehaviour.reject(-1, 486) : UasBehaviour.answer());
        assertEquals(486, phone.call(trunk.uri("busy"), "a", null).awaitFinalStatus(WAIT));
        assertEquals(200, phone.call(trunk.uri("free"), "a", null).awaitFinalStatus(WAIT));
    }

    @Test
    void reinviteInfoAndTcp() {
        trunk.behaviour(UasBehaviour.answer());
        ClientCall call = phone.call(trunk.uri("bob") + ";transport=tcp", "alice", null,
                Map.of("Session-Expires", "90;refresher=uac"));
        assertEquals(200, call.awaitFinalStatus(WAIT));
        ServerCall incoming = trunk.awaitIncomingCall(WAIT);
        assertTrue(incoming.invite().header("Via").toUpperCase().contains("TCP"));
        assertEquals("90;refresher=uac", incoming.invite().header("Session-Expires"));
        assertNotNull(incoming.awaitRequest("ACK", WAIT));

        String newSdp = Sdp.build("127.0.0.1", 40000, java.util.List.of(8), 101, "sendonly", 2);
        call.reinvite(newSdp);
        assertNotNull(call.awaitResponse("INVITE", 200, WAIT));
        SipEvent re = incoming.awaitRequest("INVITE", WAIT);
        assertEquals(40000, Sdp.parse(re.body()).port());

        call.sendInfoDtmf('7');
        SipEvent info = incoming.awaitRequest("INFO", WAIT);
        assertTrue(info.body().contains("Signal=7"), info.body());
        assertEquals("application/dtmf-relay", info.header("Content-Type"));

        incoming.bye();
        assertNotNull(call.awaitRequest("BYE", WAIT));
    }

    @Test
    void digestChallengeIsAnsweredAndVerified() {
        trunk.close();
        trunk = SipPeer.builder().name("trunk").digestChallenge("carrier.test", "kinline", "s3cret", false).build();
        phone.close();
        phone = SipPeer.builder().name("phone").credentials("kinline", "s3cret").build();
        trunk.behaviour(UasBehaviour.answer());
        ClientCall call = phone.call(trunk.uri("bob"), "kinline", null);
        assertEquals(200, call.awaitFinalStatus(WAIT));
        assertEquals(1, trunk.challengesSent());
        assertEquals(0, trunk.authFailures());
        ServerCall incoming = trunk.awaitIncomingCall(WAIT);
        Map<String, String> auth = DigestAuth.parse(incoming.invite().header("Authorization"));
        assertEquals("kinline", auth.get("username"));
        assertEquals("auth", auth.get("qop"));
        assertEquals(2, trunk.requestsSeen().stream().filter(e -> e.isRequest("INVITE")).count());
    }

    @Test
    void registerIsChallengedThenAccepted() throws Exception {
        trunk.close();
        trunk = SipPeer.builder().name("registrar").digestChallenge("carrier.test", "kinline", "s3cret", false).build();
        try (io.kinline.tests.net.RawSip udp = io.kinline.tests.net.RawSip.udp()) {
            String uri = "sip:127.0.0.1:" + trunk.port();
            java.util.function.IntFunction<String> register = cseq -> "REGISTER " + uri + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP " + udp.sentBy() + ";branch=z9hG4bKreg" + cseq + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:kinline@127.0.0.1>;tag=r\r\nTo: <sip:kinline@127.0.0.1>\r\n"
                    + "Call-ID: reg@127.0.0.1\r\nCSeq: " + cseq + " REGISTER\r\n"
                    + "Contact: <sip:kinline@" + udp.sentBy() + ">\r\n";
            udp.send(trunk.address(), register.apply(1) + "Content-Length: 0\r\n\r\n");
            String challenge = udp.awaitStatusAtLeast(200, WAIT);
            assertEquals(401, io.kinline.tests.net.RawSip.status(challenge), challenge);
            String www = challenge.lines().filter(l -> l.startsWith("WWW-Authenticate:")).findFirst().orElseThrow();
            String auth = DigestAuth.authorization(www.substring(www.indexOf(':') + 1).trim(), "kinline", "s3cret",
                    "REGISTER", uri, 1);
            udp.send(trunk.address(), register.apply(2) + "Authorization: " + auth + "\r\nContent-Length: 0\r\n\r\n");
            assertEquals(200, io.kinline.tests.net.RawSip.status(udp.awaitStatusAtLeast(200, WAIT)));
            SipEvent reg = trunk.awaitRegistration(WAIT);
            assertNotNull(reg);
            assertEquals("kinline", DigestAuth.parse(reg.header("Authorization")).get("username"));
        }
    }

    @Test
    void wrongPasswordIsForbiddenAndProxyChallengeUses407() {
        trunk.close();
        trunk = SipPeer.builder().name("trunk").digestChallenge("carrier.test", "kinline", "s3cret", true).build();
        phone.close();
        phone = SipPeer.builder().name("phone").credentials("kinline", "wrong").build();
        ClientCall call = phone.call(trunk.uri("bob"), "kinline", null);
        assertNotNull(call.awaitResponse(407, WAIT));
        assertEquals(403, call.awaitFinalStatus(WAIT));
        assertEquals(1, trunk.authFailures());
        assertNull(trunk.awaitIncomingCall(Duration.ofMillis(200)));
    }
}
