package io.kinline.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.SdpException;
import io.kinline.media.codec.Codec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer to a browser's offer, line by line: what a browser needs to accept it, and what we refuse. */
class WebRtcSessionsTest {

    /** Chrome's audio offer, trimmed, with a video m-line added. */
    static final String CHROME = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "a=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\n"
            + "a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Xp1q\r\na=ice-pwd:2i7mDgo8rFnFUOIYVc0SbBcY\r\n"
            + "a=fingerprint:sha-256 3A:1B:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD\r\n"
            + "a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
            + "a=fmtp:111 minptime=10;useinbandfec=1\r\na=rtpmap:63 red/48000/2\r\na=rtpmap:9 G722/8000\r\n"
            + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:13 CN/8000\r\n"
            + "a=rtpmap:110 telephone-event/48000\r\na=rtpmap:126 telephone-event/8000\r\n"
            + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=rtpmap:96 VP8/90000\r\n";

    /** Opus both ways, as with {@code media.webrtcSendOpus: true}. */
    private static WebRtcSessions.Local local(List<String> codecs) {
        return local(codecs, true);
    }

    private static WebRtcSessions.Local local(List<String> codecs, boolean sendOpus) {
        return new WebRtcSessions.Local(new SessionDescriptions.Local("192.0.2.7", 20000, 42, 1, 101, 20),
                "a=ice-ufrag:ours\r\na=ice-pwd:oursoursoursoursoursours\r\n", "sha-256 AB:CD", "passive",
                "a=candidate:1 1 udp 2130706431 192.0.2.7 20000 typ host\r\n", codecs, sendOpus);
    }

    @Test
    void opusUpG711DownListsPcmuAndItsEventAfterOpus() throws Exception {
        WebRtcSessions.Answer a = WebRtcSessions.answer(CHROME, local(List.of("opus", "PCMU", "PCMA"), false));
        String sdp = a.sdp();
        assertTrue(sdp.contains("m=audio 20000 UDP/TLS/RTP/SAVPF 111 0 110 126\r\n"),
                "Opus first, so the browser sends Opus; PCMU listed, so it takes ours: " + sdp);
        assertTrue(sdp.contains("a=rtpmap:0 PCMU/8000\r\n") && sdp.contains("a=rtpmap:126 telephone-event/8000\r\n")
                && sdp.contains("a=rtpmap:110 telephone-event/48000\r\n"), sdp);
        assertEquals(new WebRtcSessions.Wire(111, "opus", 48000, 110, 0, 126), a.wire());
        assertTrue(a.wire().g711Downlink());
        assertEquals(110, a.negotiated().sendTelephoneEventPt(), "the endpoint still names the tablet's event");

        String noPcmu = CHROME.replace("111 63 9 0 8 13 110 126", "111 8 110 126");
        WebRtcSessions.Answer opusOnly = WebRtcSessions.answer(noPcmu, local(List.of("opus", "PCMA"), false));
        assertFalse(opusOnly.wire().g711Downlink(), "no PCMU offered: Opus both ways");
        assertTrue(opusOnly.sdp().contains("SAVPF 111 110\r\n"), opusOnly.sdp());
        String no8kEvent = CHROME.replace(" 126\r\n", "\r\n").replace("a=rtpmap:126 telephone-event/8000\r\n", "");
        assertEquals(-1, WebRtcSessions.answer(no8kEvent, local(List.of("opus"), false)).wire().downlinkEventPt());
        assertFalse(WebRtcSessions.answer(CHROME, local(List.of("PCMU", "opus"), false)).wire().g711Downlink(),
                "a PCMU leg is G.711 both ways already");
    }

    @Test
    void answersOpusWithItsTelephoneEventAndEverythingABrowserChecks() throws Exception {
        WebRtcSessions.Answer a = WebRtcSessions.answer(CHROME, local(List.of("opus", "PCMU", "PCMA")));
        String sdp = a.sdp();
        assertTrue(sdp.contains("m=audio 20000 UDP/TLS/RTP/SAVPF 111 110\r\n"), sdp);
        assertTrue(sdp.contains("a=rtpmap:111 opus/48000/2\r\n") && sdp.contains("a=rtpmap:110 telephone-event/48000\r\n"), sdp);
        assertTrue(sdp.contains("a=ice-lite\r\n") && sdp.contains("a=rtcp-mux\r\n") && sdp.contains("a=setup:passive\r\n"), sdp);
        assertTrue(sdp.contains("a=mid:0\r\n") && sdp.contains("a=group:BUNDLE 0\r\n"), "BUNDLE names only what we accept: " + sdp);
        assertTrue(sdp.contains("m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"), "video refused with port 0: " + sdp);
        assertTrue(sdp.contains("a=fingerprint:sha-256 AB:CD\r\n") && sdp.contains("typ host\r\na=end-of-candidates\r\n"), sdp);
        assertFalse(sdp.contains("a=rtcp-fb"), "no feedback we do not implement");
        assertEquals(new WebRtcSessions.Wire(111, "opus", 48000, 110), a.wire());
        SessionDescriptions.Negotiated n = a.negotiated();
        assertEquals(Codec.PCMU, n.codec(), "the endpoint works in 8 kHz G.711 whatever the wire carries");
        assertEquals(110, n.sendTelephoneEventPt());
        assertTrue(n.sending() && n.receiving(), "c=0.0.0.0 in a WebRTC offer is not hold");
    }

    @Test
    void theSwitchPreferenceDecidesAndTheEventFollowsTheClock() throws Exception {
        WebRtcSessions.Answer a = WebRtcSessions.answer(CHROME, local(List.of("PCMA", "opus")));
        assertEquals(new WebRtcSessions.Wire(8, "PCMA", 8000, 126), a.wire());
        assertTrue(a.sdp().contains("m=audio 20000 UDP/TLS/RTP/SAVPF 8 126\r\n"), a.sdp());
        String noEvent8k = CHROME.replace(" 126\r\n", "\r\n").replace("a=rtpmap:126 telephone-event/8000\r\n", "");
        assertEquals(-1, WebRtcSessions.answer(noEvent8k, local(List.of("PCMU"))).wire().telephoneEventPt(),
                "no 48 kHz event with an 8 kHz codec: a browser would not send it");
    }

    @Test
    void refusesWhatAWebRtcLegCannotWorkWith() throws Exception {
        String g722Only = CHROME.replace("111 63 9 0 8 13 110 126", "9 13");
        SdpException e = assertThrows(SdpException.class, () -> WebRtcSessions.answer(g722Only, local(List.of("opus"))));
        assertTrue(e.noCommonCodec());
        SecureMediaAttributes noFingerprint = SecureMediaAttributes.parse(CHROME.replaceAll("a=fingerprint:[^\r]*\r\n", ""));
        assertTrue(assertThrows(SdpException.class, () -> WebRtcSessions.requireDtls(noFingerprint)).noCommonCodec());
        SecureMediaAttributes noMux = SecureMediaAttributes.parse(CHROME.replace("a=rtcp-mux\r\n", ""));
        assertTrue(assertThrows(SdpException.class, () -> WebRtcSessions.requireDtls(noMux)).noCommonCodec());
        SecureMediaAttributes noIce = SecureMediaAttributes.parse(CHROME.replaceAll("a=ice-(ufrag|pwd):[^\r]*\r\n", ""));
        assertTrue(assertThrows(SdpException.class, () -> WebRtcSessions.requireDtls(noIce)).noCommonCodec());
        String hostileMid = CHROME.replace("a=mid:0\r\n", "a=mid:" + "x".repeat(100) + "\r\n");
        assertFalse(WebRtcSessions.answer(hostileMid, local(List.of("opus"))).sdp().contains("xxxxx"),
                "an overlong mid is not echoed");
    }
}
