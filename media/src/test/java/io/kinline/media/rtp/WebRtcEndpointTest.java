package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEvent;
import io.kinline.media.SdpException;
import io.kinline.media.prompt.Playlist;
import io.kinline.media.sdp.SecureMediaAttributes;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A WebRTC leg end to end on loopback against {@link WebRtcTestPeer}: the answer's ICE-lite/DTLS/RTCP-mux
 * lines, the STUN check, the DTLS handshake with the fingerprints of the SDP, SRTP both ways, Opus and
 * PCMU through the same endpoint rooms (audio heard at the right frequency, prompts sent, RFC 4733 at
 * 48 kHz), and the offers refused with 488.
 */
class WebRtcEndpointTest {

    static NettyMediaEngine engine;

    @BeforeAll
    static void start() {
        LeakWatch.install();
        engine = NettyMediaEngine.create(EndpointTest.testConfig(), new TestPrompts());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void opusLegHearsSpeaksAndTakesDigitsAndHearsUsInPcmu() throws Exception {
        callWith("111 0", true); // media.webrtcSendOpus is off by default: Opus up, PCMU down
    }

    @Test
    void opusBothWaysWhenTheSwitchIsToldToSendOpus() throws Exception {
        NettyMediaEngine sendsOpus = NettyMediaEngine.create(
                EndpointTest.testConfig().toBuilder().webrtcSendOpus(true).build(), new TestPrompts());
        try {
            callWith(sendsOpus, "111 0", true, true);
        } finally {
            sendsOpus.close();
        }
    }

    @Test
    void pcmuLegWorksTheSameWayWhenTheSwitchPrefersIt() throws Exception {
        // The same browser offer (Opus first), answered with PCMU: media.webrtcCodecs puts PCMU first.
        NettyMediaEngine pcmuFirst = NettyMediaEngine.create(
                EndpointTest.testConfig().toBuilder().webrtcCodecs(java.util.List.of("pcmu", "opus")).build(),
                new TestPrompts());
        try {
            callWith(pcmuFirst, "111 0", false, false);
        } finally {
            pcmuFirst.close();
        }
    }

    private void callWith(String formats, boolean opus) throws Exception {
        callWith(engine, formats, opus, false);
    }

    /** {@code opus}: the tablet sends Opus; {@code opusDown}: we send Opus too (else PCMU, or PCMU both ways). */
    private void callWith(NettyMediaEngine engine, String formats, boolean opus, boolean opusDown) throws Exception {
        Events events = new Events();
        MediaEndpoint ep = engine.createEndpoint("webrtc-" + formats.charAt(0), "inmate", events);
        try (WebRtcTestPeer peer = new WebRtcTestPeer()) {
            String answer = ep.answer(peer.offer(formats, true, "actpass"));
            SecureMediaAttributes a = SecureMediaAttributes.parse(answer);
            assertEquals("UDP/TLS/RTP/SAVPF", a.protocol());
            assertTrue(a.iceLite() && a.rtcpMux(), answer);
            assertEquals("passive", a.setup(), "we answer passive to actpass (RFC 5763 §5)");
            assertEquals(1, a.fingerprints().size());
            assertTrue(answer.contains("a=mid:0") && answer.contains("a=group:BUNDLE 0"), answer);
            String port = "m=audio " + ep.localAddress().getPort();
            assertTrue(answer.contains(!opus ? "UDP/TLS/RTP/SAVPF 0 126\r\n"
                    : opusDown ? port + " UDP/TLS/RTP/SAVPF 111 110\r\n" : port + " UDP/TLS/RTP/SAVPF 111 0 110 126\r\n"),
                    "codec and the telephone-event of its clock: " + answer);

            peer.connect(answer);

            List<short[]> heard = new CopyOnWriteArrayList<>();
            ((RtpEndpoint) ep).listen((e, ts, pcm, off, len) -> heard.add(java.util.Arrays.copyOfRange(pcm, off, off + len)));
            peer.sendTone(1000, 25, opus);
            Events.await(() -> heard.size() >= 20, "the endpoint decoded the peer's SRTP audio");
            short[] pcm = concat(heard.subList(5, 20));
            double at1k = Dsp.power(pcm, 1000);
            double at2k = Dsp.power(pcm, 2000);
            assertTrue(at1k > 100 * at2k, "1 kHz through " + (opus ? "Opus" : "PCMU") + ": " + at1k + " vs " + at2k);

            peer.sendDigit(7, opus);
            assertEquals('7', events.await(MediaEvent.Digit.class).digit());

            ep.play(Playlist.in("en").prompt("tone-500-400").build(), false);
            int down = opusDown ? 111 : 0;
            Events.await(() -> peer.received.stream().filter(r -> r.pt() == down).count() >= 15,
                    "the peer received our prompt over SRTP");
            assertEquals(0, peer.received.stream().filter(r -> r.pt() != down).count(), "one codec down, one clock");
            short[] out = peer.receivedAudio();
            assertTrue(out.length >= 2000, "decoded " + out.length);
            assertTrue(Dsp.power(out, 500) > 100 * Dsp.power(out, 1500), "the 500 Hz prompt reached the peer");
            List<WebRtcTestPeer.Received> rs = peer.received;
            long step = (rs.get(2).ts() - rs.get(1).ts()) & 0xFFFFFFFFL;
            assertEquals(opusDown ? 960 : 160, step, opusDown ? "Opus RTP timestamps run at 48 kHz (RFC 7587 §4.1)"
                    : "PCMU at 8 kHz, even on an Opus leg");
        } finally {
            ep.close();
        }
    }

    @Test
    void refusesSavpfWithoutFingerprintPlainSrtpAndMissingMux() throws Exception {
        MediaEndpoint ep = engine.createEndpoint("webrtc-488", "inmate", new Events());
        try (WebRtcTestPeer peer = new WebRtcTestPeer()) {
            SdpException e = assertThrows(SdpException.class, () -> ep.answer(peer.offer("111", false, "actpass")));
            assertTrue(e.noCommonCodec() && e.getMessage().contains("fingerprint"), e.getMessage());
            String sdes = peer.offer("111", true, "actpass").replace("UDP/TLS/RTP/SAVPF", "RTP/SAVPF");
            assertTrue(assertThrows(SdpException.class, () -> ep.answer(sdes)).noCommonCodec());
            String noMux = peer.offer("111", true, "actpass").replace("a=rtcp-mux\r\n", "");
            assertTrue(assertThrows(SdpException.class, () -> ep.answer(noMux)).noCommonCodec());
            String holdconn = peer.offer("111", true, "holdconn");
            assertTrue(assertThrows(SdpException.class, () -> ep.answer(holdconn)).noCommonCodec());
            String noCodec = peer.offer("9", true, "actpass");
            assertTrue(assertThrows(SdpException.class, () -> ep.answer(noCodec)).noCommonCodec());
        } finally {
            ep.close();
        }
    }

    @Test
    void strangersCannotInjectMediaOrStartHandshakes() throws Exception {
        Events events = new Events();
        MediaEndpoint ep = engine.createEndpoint("webrtc-stranger", "inmate", events);
        try (WebRtcTestPeer peer = new WebRtcTestPeer(); RtpTestPeer stranger = new RtpTestPeer()) {
            String answer = ep.answer(peer.offer("111 0", true, "actpass"));
            List<short[]> heard = new CopyOnWriteArrayList<>();
            ((RtpEndpoint) ep).listen((e, ts, pcm, off, len) -> heard.add(pcm));
            // Plain RTP and a DTLS-looking record from an address that never passed an ICE check.
            for (int i = 0; i < 20; i++) {
                stranger.sendAudio(io.kinline.media.codec.Codec.PCMU, TestPrompts.sine(1000, 20, 8000), ep.localAddress());
                stranger.sendRaw(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, ep.localAddress());
            }
            peer.connect(answer); // the handshake still works for the real peer
            Thread.sleep(200);
            assertTrue(heard.isEmpty(), "nothing from a stranger reached the endpoint");
            assertFalse(stranger.received().stream().findAny().isPresent(), "and nothing was sent to it");
        } finally {
            ep.close();
        }
    }

    @Test
    void aCertificateThatIsNotTheOfferedFingerprintEndsTheMedia() throws Exception {
        Events events = new Events();
        MediaEndpoint ep = engine.createEndpoint("webrtc-mitm", "inmate", events);
        try (WebRtcTestPeer peer = new WebRtcTestPeer()) {
            // The SDP (over WSS) names one certificate; the DTLS peer presents another: a man in the middle.
            peer.offeredFingerprint = io.kinline.media.dtls.DtlsCertificate.generate().fingerprint().sdpValue();
            String answer = ep.answer(peer.offer("111 0", true, "actpass"));
            assertThrows(Exception.class, () -> peer.connect(answer), "the handshake is refused");
            MediaEvent.MediaTimeout t = events.await(MediaEvent.MediaTimeout.class);
            assertEquals(0, t.silentMillis(), "the call's media ends at once");
        } finally {
            ep.close();
        }
    }

    @Test
    void aReofferKeepsTheIceAndDtlsSessionAndARestartIsRefused() throws Exception {
        MediaEndpoint ep = engine.createEndpoint("webrtc-reoffer", "inmate", new Events());
        try (WebRtcTestPeer peer = new WebRtcTestPeer()) {
            String offer = peer.offer("111 0", true, "actpass");
            SecureMediaAttributes first = SecureMediaAttributes.parse(ep.answer(offer));
            peer.connect(ep.answer(offer)); // a repeated offer: the same answer parameters
            // Hold, as JsSIP does it: the same session, sendonly.
            String hold = ep.answer(offer.replace("a=sendrecv", "a=sendonly"));
            SecureMediaAttributes held = SecureMediaAttributes.parse(hold);
            assertTrue(hold.contains("a=recvonly"), hold);
            assertEquals(first.iceUfrag(), held.iceUfrag());
            assertEquals(first.fingerprints(), held.fingerprints());
            String restart = offer.replace("a=ice-ufrag:" + peer.ice.ufrag(), "a=ice-ufrag:newfrag");
            assertTrue(assertThrows(SdpException.class, () -> ep.answer(restart)).noCommonCodec(), "ICE restart");
            try (RtpTestPeer handset = new RtpTestPeer()) {
                String plain = handset.offerG711();
                assertTrue(assertThrows(SdpException.class, () -> ep.answer(plain)).noCommonCodec(), "back to plain RTP");
            }
        } finally {
            ep.close();
        }
    }

    private static short[] concat(List<short[]> frames) {
        int n = frames.stream().mapToInt(f -> f.length).sum();
        short[] all = new short[n];
        int at = 0;
        for (short[] f : frames) {
            System.arraycopy(f, 0, all, at, f.length);
            at += f.length;
        }
        return all;
    }
}
