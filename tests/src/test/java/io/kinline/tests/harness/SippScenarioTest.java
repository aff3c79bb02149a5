package io.kinline.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.tests.peer.ClientCall;
import io.kinline.tests.peer.ServerCall;
import io.kinline.tests.peer.SipPeer;
import io.kinline.tests.peer.UasBehaviour;
import io.kinline.tests.rtp.RtpPeer;
import io.kinline.tests.rtp.RtpStats;
import io.kinline.tests.sipp.Sipp;
import io.kinline.tests.sipp.Sipp.SippProcess;
import io.kinline.tests.sipp.Sipp.SippResult;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SIPp scenarios and the runner, against each other and against the Java peers. */
class SippScenarioTest {

    private static final Path SIPP_DIR = Path.of("sipp");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @BeforeEach
    void needSipp() {
        SippAssume.sippAvailable();
    }

    @Test
    void uacBasicAgainstUasAnswer() throws Exception {
        int uasPort = SippAssume.freeUdpPort();
        try (SippProcess uas = Sipp.scenario(SIPP_DIR.resolve("uas-answer.xml")).localPort(uasPort)
                .mediaPort(SippAssume.freeUdpPort()).calls(2).timeout(Duration.ofSeconds(20)).start()) {
            SippAssume.awaitBound(uasPort);
            SippResult uac = Sipp.scenario(SIPP_DIR.resolve("uac-basic.xml")).remote("127.0.0.1:" + uasPort)
                    .localPort(SippAssume.freeUdpPort()).mediaPort(SippAssume.freeUdpPort()).service("15551234567")
                    .calls(2).rate(2).callTimeoutMs(500).timeout(Duration.ofSeconds(20)).run();
            assertTrue(uac.passed(), uac + "\n" + uac.errors());
            assertEquals(2, uac.successful());
            assertEquals(0, uac.failed());
            SippResult server = uas.await();
            assertTrue(server.passed(), server + "\n" + server.errors());
            assertEquals(2, server.successful());
        }
    }

    @Test
    void failedCallsAreReportedAsFailures() throws Exception {
        int uasPort = SippAssume.freeUdpPort();
        try (SippProcess uas = Sipp.scenario(SIPP_DIR.resolve("uas-busy.xml")).localPort(uasPort)
                .calls(1).timeout(Duration.ofSeconds(20)).start()) {
            SippAssume.awaitBound(uasPort);
            SippResult uac = Sipp.scenario(SIPP_DIR.resolve("uac-basic.xml")).remote("127.0.0.1:" + uasPort)
                    .localPort(SippAssume.freeUdpPort()).service("1").calls(1).timeout(Duration.ofSeconds(10)).run();
            // default behaviours: the unexpected 486 aborts the call, which counts as failed
            assertEquals(1, uac.exitCode(), uac.toString());
            assertEquals(0, uac.successful());
            assertEquals(1, uac.failed());
            assertTrue(uac.errors().contains("486 Busy Here"), uac.errors());
            uas.await();
        }
    }

    @Test
    void uacCancelAgainstUasNoAnswer() throws Exception {
        int uasPort = SippAssume.freeUdpPort();
        try (SippProcess uas = Sipp.scenario(SIPP_DIR.resolve("uas-noanswer.xml")).localPort(uasPort)
                .calls(1).timeout(Duration.ofSeconds(20)).start()) {
            SippAssume.awaitBound(uasPort);
            SippResult uac = Sipp.scenario(SIPP_DIR.resolve("uac-cancel.xml")).remote("127.0.0.1:" + uasPort)
                    .localPort(SippAssume.freeUdpPort()).service("1").callTimeoutMs(200).calls(1)
                    .timeout(Duration.ofSeconds(15)).run();
            assertTrue(uac.passed(), uac + "\n" + uac.errors());
            SippResult server = uas.await();
            assertTrue(server.passed(), server + "\n" + server.errors());
        }
    }

    @Test
    void overloadScenarioCounts503WithRetryAfterAndRejectsOnesWithout() throws Exception {
        try (SipPeer sw = SipPeer.builder().name("switch").build()) {
            sw.behaviour(inv -> inv.header("Call-ID").startsWith("1-") ? UasBehaviour.answer()
                    : UasBehaviour.overloaded(5));
            SippResult r = Sipp.scenario(SIPP_DIR.resolve("uac-overload.xml")).remote("127.0.0.1:" + sw.port())
                    .localPort(SippAssume.freeUdpPort()).service("1").calls(4).rate(10).callTimeoutMs(100)
                    .timeout(Duration.ofSeconds(20)).run();
            assertTrue(r.passed(), r + "\n" + r.errors());
            assertEquals(4, r.successful());
            assertEquals(3, r.receivedCount("503"), r.messageCounts().toString());

            sw.behaviour(UasBehaviour.reject(-1, 503)); // no Retry-After: the scenario must fail the call
            SippResult bad = Sipp.scenario(SIPP_DIR.resolve("uac-overload.xml")).remote("127.0.0.1:" + sw.port())
                    .localPort(SippAssume.freeUdpPort()).service("1").calls(1).timeout(Duration.ofSeconds(10)).run();
            assertEquals(0, bad.successful(), bad.toString());
            assertEquals(1, bad.failed(), bad.toString());
        }
    }

    @Test
    void uacCancelAgainstJavaPeer() throws Exception {
        try (SipPeer trunk = SipPeer.builder().name("trunk").build()) {
            trunk.behaviour(UasBehaviour.ringForever());
            SippResult r = Sipp.scenario(SIPP_DIR.resolve("uac-cancel.xml")).remote("127.0.0.1:" + trunk.port())
                    .localPort(SippAssume.freeUdpPort()).service("1").callTimeoutMs(100).calls(1)
                    .timeout(Duration.ofSeconds(15)).run();
            assertTrue(r.passed(), r + "\n" + r.errors());
            ServerCall call = trunk.awaitIncomingCall(WAIT);
            assertNotNull(call.awaitRequest("CANCEL", WAIT));
            assertEquals(ServerCall.State.CANCELLED, call.state());
            // the ACK for the 487 is absorbed by JAIN-SIP's INVITE server transaction (hop-by-hop)
        }
    }

    @Test
    void uacBasicAgainstJavaPeerDeliversTheTone() throws Exception {
        try (SipPeer trunk = SipPeer.builder().name("trunk").build(); RtpPeer rtp = RtpPeer.open()) {
            trunk.behaviour(UasBehaviour.answer(50, rtp::answer));
            SippResult uac = Sipp.scenario(SIPP_DIR.resolve("uac-basic.xml")).remote("127.0.0.1:" + trunk.port())
                    .localPort(SippAssume.freeUdpPort()).mediaPort(SippAssume.freeUdpPort()).service("15551234567")
                    .calls(1).callTimeoutMs(1500).timeout(Duration.ofSeconds(20)).run();
            assertTrue(uac.passed(), uac + "\n" + uac.errors());
            ServerCall call = trunk.awaitIncomingCall(WAIT);
            assertNotNull(call);
            assertNotNull(call.awaitRequest("BYE", WAIT));
            assertTrue(rtp.awaitPackets(40, WAIT), "RTP from the pcap");
            double f = rtp.dominantFrequency(0, Long.MAX_VALUE, 300, 440, 1000, 2000);
            assertEquals(440.0, f);
            RtpStats s = rtp.stats();
            assertEquals(0, s.lost(), s.toString());
            assertEquals(1, s.ssrcs());
        }
    }

    @Test
    void inmateCallPlaysThePinAsSeparateEventsAfterTheGreetingThenTalks() throws Exception {
        try (SipPeer ivr = SipPeer.builder().name("ivr").build(); RtpPeer rtp = RtpPeer.open()) {
            ivr.behaviour(UasBehaviour.answer(0, rtp::answer));
            long offset = ivr.elapsedMs() - rtp.elapsedMs(); // SIP peer clock minus RTP peer clock
            SippResult uac = Sipp.scenario(SIPP_DIR.resolve("uac-inmate-call.xml")).remote("127.0.0.1:" + ivr.port())
                    .localPort(SippAssume.freeUdpPort()).mediaPort(SippAssume.freeUdpPort()).service("100")
                    .key("caller", "2001").set("pin", "1234").set("greeting_ms", "2000").set("talk_ms", "3000")
                    .calls(1).timeout(Duration.ofSeconds(30)).run();
            assertTrue(uac.passed(), uac + "\n" + uac.errors());
            ServerCall call = ivr.awaitIncomingCall(WAIT);
            assertTrue(call.invite().header("From").contains("sip:2001@"));
            assertTrue(rtp.awaitDigits("1234#", WAIT), "got " + rtp.receivedDigits());
            assertEquals("1234#", rtp.receivedDigits());
            rtp.receivedEvents().forEach(d -> {
                assertTrue(d.ended(), d.toString());
                assertTrue(d.startMarker(), d.toString());
                assertEquals(960, d.durationSamples(), d.toString());
            });
            // The handset listens to greeting_ms of the greeting before keying its PIN (a pause that
            // lasted 0 ms while the scenario paused on the -set string itself).
            long ackMs = call.awaitRequest("ACK", WAIT).atMs() - offset;
            long firstKeyMs = rtp.receivedEvents().get(0).firstArrivalMs();
            assertTrue(firstKeyMs - ackMs >= 1900, "PIN " + (firstKeyMs - ackMs) + " ms after the ACK, not 2000");
            // Then the inmate talks (English counting from rtp_stream) after the last key.
            long lastKeyMs = rtp.receivedEvents().get(4).firstArrivalMs();
            long voiceMs = rtp.firstAudioAtMs(-40);
            assertTrue(voiceMs > lastKeyMs, "speech after the PIN: voice at " + voiceMs + ", last key " + lastKeyMs);
            assertTrue(rtp.levelDbov(voiceMs, voiceMs + 2000) > -40, "the handset talks");
        }
    }

    @Test
    void inbandInmateCallStreamsDetectableTones() throws Exception {
        try (SipPeer ivr = SipPeer.builder().name("ivr").build(); RtpPeer rtp = RtpPeer.open()) {
            ivr.behaviour(UasBehaviour.answer(0, rtp::answer));
            long offset = ivr.elapsedMs() - rtp.elapsedMs();
            SippResult uac = Sipp.scenario(SIPP_DIR.resolve("uac-inmate-call-inband.xml"))
                    .remote("127.0.0.1:" + ivr.port()).localPort(SippAssume.freeUdpPort())
                    .mediaPort(SippAssume.freeUdpPort()).service("100").key("caller", "2002")
                    .set("greeting_ms", "1500").set("talk_ms", "500").calls(1).timeout(Duration.ofSeconds(20)).run();
            assertTrue(uac.passed(), uac + "\n" + uac.errors());
            assertTrue(rtp.awaitPackets(60, WAIT));
            assertEquals("1234#", rtp.detectInbandDigits());
            assertEquals("", rtp.receivedDigits());
            long ackMs = ivr.awaitIncomingCall(WAIT).awaitRequest("ACK", WAIT).atMs() - offset;
            long firstPacketMs = rtp.packets().get(0).arrivalMs();
            assertTrue(firstPacketMs - ackMs >= 1400, "tones " + (firstPacketMs - ackMs) + " ms after the ACK, not 1500");
        }
    }

    @Test
    void calledPartyScenarioPressesTheKeysAndHangsUpWhenTold() throws Exception {
        int uasPort = SippAssume.freeUdpPort();
        try (SipPeer sw = SipPeer.builder().name("switch").build(); RtpPeer rtp = RtpPeer.open();
             SippProcess uas = Sipp.scenario(SIPP_DIR.resolve("uas-called-party.xml")).localPort(uasPort)
                     .mediaPort(SippAssume.freeUdpPort()).calls(1).set("choice", "99").set("greeting_ms", "1500")
                     .set("talk_ms", "8000").timeout(Duration.ofSeconds(20)).start()) {
            SippAssume.awaitBound(uasPort);
            ClientCall call = sw.call("sip:15551234567@127.0.0.1:" + uasPort, "kinline", rtp.offer());
            assertEquals(200, call.awaitFinalStatus(WAIT));
            long answeredMs = rtp.elapsedMs(); // the ACK went out just before: this is no earlier
            rtp.acceptAnswer(call.remoteSdp());
            assertTrue(rtp.awaitDigits("99", WAIT), "got " + rtp.receivedDigits());
            assertEquals(2, rtp.receivedEvents().size(), "two separate events for 99");
            long keyMs = rtp.receivedEvents().get(0).firstArrivalMs();
            assertTrue(keyMs - answeredMs >= 1400, "the key " + (keyMs - answeredMs) + " ms after the answer, not 1500");
            // Then the called party talks (Spanish counting from rtp_stream).
            assertTrue(rtp.awaitAudio(-40, WAIT), "the called party talks after its keys");
            assertTrue(rtp.firstAudioAtMs(-40) > rtp.receivedEvents().get(1).firstArrivalMs());
            call.bye();
            assertNotNull(call.awaitResponse("BYE", 200, WAIT));
            SippResult r = uas.await();
            assertTrue(r.passed(), r + "\n" + r.errors());
        }
    }

    @Test
    void calledPartyScenarioPressesOneAgainWhenTold() throws Exception {
        int uasPort = SippAssume.freeUdpPort();
        try (SipPeer sw = SipPeer.builder().name("switch").build(); RtpPeer rtp = RtpPeer.open();
             SippProcess uas = Sipp.scenario(SIPP_DIR.resolve("uas-called-party.xml")).localPort(uasPort)
                     .mediaPort(SippAssume.freeUdpPort()).calls(1).set("choice", "1").set("greeting_ms", "300")
                     .set("then_ms", "1500").set("talk_ms", "8000").timeout(Duration.ofSeconds(20)).start()) {
            SippAssume.awaitBound(uasPort);
            ClientCall call = sw.call("sip:15551234567@127.0.0.1:" + uasPort, "kinline", rtp.offer());
            assertEquals(200, call.awaitFinalStatus(WAIT));
            rtp.acceptAnswer(call.remoteSdp());
            assertTrue(rtp.awaitDigits("11", WAIT), "got " + rtp.receivedDigits());
            assertEquals(2, rtp.receivedEvents().size(), "two events, not one replayed: " + rtp.receivedEvents());
            long gap = rtp.receivedEvents().get(1).firstArrivalMs() - rtp.receivedEvents().get(0).firstArrivalMs();
            assertTrue(gap >= 1400, "the second 1 came " + gap + " ms after the first, not 1500");
            call.bye();
            assertNotNull(call.awaitResponse("BYE", 200, WAIT));
            assertTrue(uas.await().passed());
        }
    }
}
