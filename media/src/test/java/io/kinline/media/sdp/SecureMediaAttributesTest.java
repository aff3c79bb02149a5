package io.kinline.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.SdpException;
import io.kinline.media.dtls.DtlsSetup;
import io.kinline.media.dtls.Fingerprint;
import io.kinline.media.ice.IceCredentials;
import io.kinline.media.srtp.SdesCrypto;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secure-media attributes from a Chrome-style WebRTC offer and from an SDES gateway's offer. */
class SecureMediaAttributesTest {

    private static final String FP = "sha-256 " + "AB:".repeat(31) + "CD";
    private static final String CHROME = String.join("\r\n",
            "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=group:BUNDLE 0", "a=msid-semantic: WMS",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 126", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
            "a=candidate:1 1 udp 2122260223 192.168.1.20 54400 typ host generation 0",
            "a=ice-ufrag:8hhY", "a=ice-pwd:asd88fgpdd777uzjYhagZg", "a=ice-options:trickle",
            "a=fingerprint:" + FP, "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1", "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:126 telephone-event/8000", "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=ice-ufrag:other",
            "a=candidate:9 1 udp 1 10.0.0.9 9 typ host", "") ;

    @Test
    void readsAChromeOfferAndFeedsEachComponent() throws SdpException {
        SecureMediaAttributes a = SecureMediaAttributes.parse(CHROME);
        assertTrue(a.secure());
        assertTrue(a.dtls());
        assertEquals("8hhY", a.iceUfrag(), "the video section's ufrag does not leak into audio");
        assertEquals(List.of(FP), a.fingerprints());
        assertEquals("actpass", a.setup());
        assertTrue(a.rtcpMux());
        assertFalse(a.iceLite());
        assertEquals(1, a.candidates().size());
        assertEquals(DtlsSetup.PASSIVE, DtlsSetup.answerTo(a.setup()));
        assertEquals("sha-256", Fingerprint.parse(a.fingerprints().get(0)).algorithm());
        assertEquals("8hhY", new IceCredentials(a.iceUfrag(), a.icePwd()).ufrag());
    }

    @Test
    void readsAnSdesOfferWithSessionLevelDefaults() throws SdpException, Exception {
        String sdp = String.join("\r\n", "v=0", "o=gw 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                "a=fingerprint:" + FP, "m=audio 4000 RTP/SAVP 0 101",
                "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20",
                "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", "");
        SecureMediaAttributes a = SecureMediaAttributes.parse(sdp);
        assertTrue(a.secure());
        assertFalse(a.dtls());
        assertEquals(List.of(FP), a.fingerprints(), "session-level fingerprint applies to the stream");
        assertEquals(2, a.cryptos().size());
        assertEquals(1, SdesCrypto.answer(a.cryptos(), new java.security.SecureRandom()).local().tag());
        assertFalse(SecureMediaAttributes.parse(sdp.replace("RTP/SAVP", "RTP/AVP")).secure());
    }

    @Test
    void boundsWhatItReads() {
        assertThrows(SdpException.class, () -> SecureMediaAttributes.parse("v=0\r\n" + "a=x\r\n".repeat(5000)));
        assertThrows(SdpException.class, () -> SecureMediaAttributes.parse("v=0\r\nm=video 9 RTP/AVP 96\r\n"));
        StringBuilder many = new StringBuilder("v=0\r\nm=audio 9 RTP/SAVP 0\r\n");
        for (int i = 0; i < 100; i++) {
            many.append("a=crypto:").append(i).append(" X inline:AAAA\r\n");
        }
        try {
            assertEquals(SecureMediaAttributes.MAX_VALUES, SecureMediaAttributes.parse(many.toString()).cryptos().size());
        } catch (SdpException e) {
            throw new AssertionError(e);
        }
    }
}
