package io.kinline.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.SdpException;
import io.kinline.media.codec.Codec;
import io.kinline.media.sdp.SessionDescriptions.Answer;
import io.kinline.media.sdp.SessionDescriptions.Local;
import io.kinline.media.sdp.SessionDescriptions.Negotiated;
import java.net.InetSocketAddress;
import java.util.List;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

class SessionDescriptionsTest {

    static final Local LOCAL = new Local("127.0.0.1", 20000, 42, 1, 101, 20);

    static String offer(String mline, String attrs) {
        return "v=0\r\no=phone 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n" + mline + "\r\n" + attrs;
    }

    @Test
    void offerIsValidSdpWithBothCodecsAndTelephoneEvent() throws Exception {
        String o = SessionDescriptions.offer(LOCAL, Direction.SENDRECV);
        SessionDescription sd = SdpFactory.getInstance().createSessionDescription(o);
        assertEquals(1, sd.getMediaDescriptions(false).size());
        assertTrue(o.contains("m=audio 20000 RTP/AVP 0 8 101\r\n"), o);
        assertTrue(o.contains("a=rtpmap:101 telephone-event/8000\r\n"));
        assertTrue(o.contains("a=ptime:20\r\n"));
        assertTrue(o.contains("a=sendrecv\r\n"));
        assertTrue(o.contains("c=IN IP4 127.0.0.1\r\n"));
        // And our own parser reads it back.
        List<SessionDescriptions.MediaLine> lines = SessionDescriptions.parse(o);
        assertEquals(List.of("0", "8", "101"), lines.get(0).formats());
    }

    @Test
    void answerTakesTheFirstOfferedCodecWeSpeak() throws Exception {
        Answer a = SessionDescriptions.answer(offer("m=audio 4000 RTP/AVP 18 8 0 101",
                "a=rtpmap:18 G729/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"), LOCAL);
        Negotiated n = a.negotiated();
        assertEquals(Codec.PCMA, n.codec());
        assertEquals(8, n.sendPayloadType());
        assertEquals(101, n.sendTelephoneEventPt());
        assertEquals(new InetSocketAddress("10.0.0.5", 4000), n.remoteRtp());
        assertEquals(new InetSocketAddress("10.0.0.5", 4001), n.remoteRtcp());
        assertEquals(Direction.SENDRECV, n.localDirection());
        assertTrue(a.sdp().contains("m=audio 20000 RTP/AVP 8 101\r\n"), a.sdp());
        assertTrue(a.sdp().contains("a=fmtp:101 0-15\r\n"), "the peer's event range is echoed");
        assertFalse(a.sdp().contains("G729"));
    }

    @Test
    void telephoneEventPayloadTypeOfThePeerIsUsed() throws Exception {
        Answer a = SessionDescriptions.answer(offer("m=audio 4000 RTP/AVP 0 96",
                "a=rtpmap:0 PCMU/8000\r\na=rtpmap:96 telephone-event/8000\r\n"), LOCAL);
        assertEquals(96, a.negotiated().sendTelephoneEventPt());
        assertEquals(96, a.negotiated().receiveTelephoneEventPt());
        assertTrue(a.sdp().contains("a=rtpmap:96 telephone-event/8000"));
        assertFalse(a.sdp().contains("101"));
    }

    @Test
    void noTelephoneEventOfferedMeansNone() throws Exception {
        Answer a = SessionDescriptions.answer(offer("m=audio 4000 RTP/AVP 0", ""), LOCAL);
        assertEquals(-1, a.negotiated().sendTelephoneEventPt());
        assertFalse(a.sdp().contains("telephone-event"));
    }

    @Test
    void dynamicPayloadTypeForG711IsMapped() throws Exception {
        Answer a = SessionDescriptions.answer(offer("m=audio 4000 RTP/AVP 98", "a=rtpmap:98 PCMU/8000\r\n"), LOCAL);
        assertEquals(Codec.PCMU, a.negotiated().codec());
        assertEquals(98, a.negotiated().sendPayloadType());
        assertTrue(a.sdp().contains("a=rtpmap:98 PCMU/8000"));
    }

    @Test
    void ptimeOfThePeerIsHonouredForSending() throws Exception {
        assertEquals(30, SessionDescriptions.answer(offer("m=audio 4000 RTP/AVP 0", "a=ptime:30\r\n"), LOCAL)
                .negotiated().sendPtimeMillis());
        assertEquals(20, SessionDescriptions.answer(offer("m=audio 4000 RTP/AVP 0", ""), LOCAL)
                .negotiated().sendPtimeMillis(), "default when absent");
        assertEquals(60, SessionDescriptions.answer(offer("m=audio 4000 RTP/AVP 0", "a=ptime:200\r\n"), LOCAL)
                .negotiated().sendPtimeMillis(), "clamped to what we can send");
    }

    @Test
    void noCommonCodecIs488() {
        SdpException e = assertThrows(SdpException.class, () -> SessionDescriptions.answer(
                offer("m=audio 4000 RTP/AVP 18 9", "a=rtpmap:18 G729/8000\r\na=rtpmap:9 G722/8000\r\n"), LOCAL));
        assertTrue(e.noCommonCodec());
        SdpException video = assertThrows(SdpException.class,
                () -> SessionDescriptions.answer(offer("m=video 4000 RTP/AVP 31", ""), LOCAL));
        assertTrue(video.noCommonCodec());
        // PCMU name at a rate other than 8 kHz is not PCMU we can use.
        SdpException rate = assertThrows(SdpException.class,
                () -> SessionDescriptions.answer(offer("m=audio 4000 RTP/AVP 97", "a=rtpmap:97 PCMU/16000\r\n"), LOCAL));
        assertTrue(rate.noCommonCodec());
    }

    @Test
    void garbageIsMalformed() {
        for (String bad : new String[] {"", "hello", "v=0\r\nthis is not sdp", "v=0\r\no=x\r\n", "v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n",
                "v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
                "v=0\r\no=a 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio notaport RTP/AVP 0\r\n"}) {
            SdpException e = assertThrows(SdpException.class, () -> SessionDescriptions.answer(bad, LOCAL), bad);
            assertFalse(e.noCommonCodec(), "malformed, not 488: " + bad);
        }
    }

    @Test
    void holdDirectionsAreReversed() throws Exception {
        Negotiated sendonly = SessionDescriptions.answer(offer("m=audio 4000 RTP/AVP 0", "a=sendonly\r\n"), LOCAL).negotiated();
        assertEquals(Direction.RECVONLY, sendonly.localDirection());
        assertFalse(sendonly.sending());
        assertTrue(sendonly.receiving());
        Answer inactive = SessionDescriptions.answer(offer("m=audio 4000 RTP/AVP 0", "a=inactive\r\n"), LOCAL);
        assertEquals(Direction.INACTIVE, inactive.negotiated().localDirection());
        assertTrue(inactive.sdp().contains("a=inactive"));
        Negotiated recvonly = SessionDescriptions.answer(offer("m=audio 4000 RTP/AVP 0", "a=recvonly\r\n"), LOCAL).negotiated();
        assertEquals(Direction.SENDONLY, recvonly.localDirection());
        // Session-level direction applies when the m= line has none.
        String sessionLevel = "v=0\r\no=p 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\na=sendonly\r\nm=audio 4000 RTP/AVP 0\r\n";
        assertEquals(Direction.RECVONLY, SessionDescriptions.answer(sessionLevel, LOCAL).negotiated().localDirection());
    }

    @Test
    void oldStyleHoldWithNullAddressStopsSending() throws Exception {
        String o = "v=0\r\no=p 1 2 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        Negotiated n = SessionDescriptions.answer(o, LOCAL).negotiated();
        assertFalse(n.sending());
        assertNull(n.remoteRtp());
    }

    @Test
    void portZeroStreamsAreRefusedInPlace() throws Exception {
        Answer a = SessionDescriptions.answer(offer("m=video 5000 RTP/AVP 31\r\nm=audio 4000 RTP/AVP 0",
                "a=rtpmap:0 PCMU/8000\r\n"), LOCAL);
        List<SessionDescriptions.MediaLine> lines = SessionDescriptions.parse(a.sdp());
        assertEquals(2, lines.size(), "one answer line per offered line, in order");
        assertEquals("video", lines.get(0).type());
        assertEquals(0, lines.get(0).port());
        assertEquals(20000, lines.get(1).port());
        Answer disabled = SessionDescriptions.answer(offer("m=audio 0 RTP/AVP 0", ""), LOCAL);
        assertEquals(Direction.INACTIVE, disabled.negotiated().localDirection());
        assertTrue(disabled.sdp().contains("m=audio 0 RTP/AVP 0"));
    }

    @Test
    void applyAnswerToOurOffer() throws Exception {
        Negotiated n = SessionDescriptions.applyAnswer(offer("m=audio 6000 RTP/AVP 8 101",
                "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=ptime:40\r\na=rtcp:6011\r\n"), LOCAL);
        assertEquals(Codec.PCMA, n.codec());
        assertEquals(101, n.sendTelephoneEventPt());
        assertEquals(40, n.sendPtimeMillis());
        assertEquals(6011, n.remoteRtcp().getPort());
        assertTrue(n.sending());
        SdpException refused = assertThrows(SdpException.class,
                () -> SessionDescriptions.applyAnswer(offer("m=audio 0 RTP/AVP 0", ""), LOCAL));
        assertTrue(refused.noCommonCodec());
    }

    @Test
    void lfOnlyLineEndingsAreAccepted() throws Exception {
        String o = "v=0\no=p 1 1 IN IP4 10.0.0.5\ns=-\nc=IN IP4 10.0.0.5\nt=0 0\nm=audio 4000 RTP/AVP 0 101\na=rtpmap:101 telephone-event/8000\n";
        Negotiated n = SessionDescriptions.answer(o, LOCAL).negotiated();
        assertEquals(Codec.PCMU, n.codec());
        assertEquals(101, n.sendTelephoneEventPt());
    }
}
