package io.kinline.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4568 a=crypto: parsing, formatting, answering, and what is refused. */
class SdesCryptoTest {

    // RFC 4568 §6.2.1's key (40 base64 characters = 30 bytes).
    private static final String KEY = "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR";

    @Test
    void parsesTheRfcExampleAndFormatsItBack() throws SdesException {
        SdesCrypto c = SdesCrypto.parse("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20");
        assertEquals(1, c.tag());
        assertEquals(1L << 20, c.lifetime());
        assertEquals(SrtpProfile.AES_CM_128_HMAC_SHA1_80, c.key().profile());
        assertEquals("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|1048576", c.format());
        assertEquals(c, SdesCrypto.parse(c.format()));
        SdesCrypto plain = SdesCrypto.parse("7 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " WSH=64");
        assertEquals(SdesCrypto.DEFAULT_LIFETIME, plain.lifetime());
        assertEquals("7 AES_CM_128_HMAC_SHA1_80 inline:" + KEY, plain.format());
    }

    @Test
    void refusesWhatItDoesNotImplementWithAReason() {
        refused("MKI not supported", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^20|1:4");
        refused("crypto suite AES_CM_128_HMAC_SHA1_32 not supported", "1 AES_CM_128_HMAC_SHA1_32 inline:" + KEY);
        refused("re-keying", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^10");
        refused("session parameter KDR=1", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " KDR=1");
        refused("UNENCRYPTED_SRTP", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " UNENCRYPTED_SRTP");
        refused("needs 30", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY.substring(0, 32));
        refused("not base64", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY.substring(0, 39) + "=A");
        refused("not of the form", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + ";inline:" + KEY);
        refused("not of the form", "");
        refused("not of the form", "1234567890 AES_CM_128_HMAC_SHA1_80 inline:" + KEY);
        refused("longer than 512", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + " " + "x".repeat(600));
        refused("neither a number", "1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|2^x");
    }

    @Test
    void answersTheFirstUsableLineUnderItsTagWithAFreshKeyThatInteroperates() throws SdesException {
        SecureRandom random = new SecureRandom();
        SdesCrypto offererKey = SdesCrypto.random(2, random);
        List<String> offer = List.of("1 AES_256_CM_HMAC_SHA1_80 inline:" + KEY + KEY, offererKey.format());
        SdesCrypto.Answer a = SdesCrypto.answer(offer, random);
        assertEquals(2, a.local().tag());
        assertEquals(offererKey, a.remote());
        assertTrue(!a.local().key().equals(a.remote().key()), "our own key, not an echo of theirs");
        // The offerer protects with its key; we receive with the key from its line, and the reverse.
        SdesCrypto ours = SdesCrypto.parse(a.local().format());
        ByteBuf b = Packets.heap(Packets.rtp(1, 2, 3, 160, 4));
        assertEquals(SrtpResult.OK, offererKey.sender().protectRtp(b));
        assertEquals(SrtpResult.OK, a.remote().receiver().unprotectRtp(b));
        assertEquals(SrtpResult.OK, a.local().sender().protectRtp(b));
        assertEquals(SrtpResult.OK, ours.receiver().unprotectRtp(b));
        b.release();
        SdesException none = assertThrows(SdesException.class,
                () -> SdesCrypto.answer(List.of("1 F8_128_HMAC_SHA1_80 inline:" + KEY), random));
        assertTrue(none.getMessage().contains("F8_128_HMAC_SHA1_80 not supported"), none.getMessage());
    }

    @Test
    void aSenderStopsAtTheKeyLifetime() throws SdesException {
        SdesCrypto c = SdesCrypto.parse("1 AES_CM_128_HMAC_SHA1_80 inline:" + KEY + "|1048576");
        SrtpSender tx = new SrtpSender(c.key(), SrtpCrypto.DEFAULT, 3);
        for (int i = 0; i < 4; i++) {
            ByteBuf b = Packets.heap(Packets.rtp(i, 0, 9, 10, 1));
            assertEquals(i < 3 ? SrtpResult.OK : SrtpResult.KEY_EXHAUSTED, tx.protectRtp(b));
            b.release();
        }
    }

    private static void refused(String reason, String line) {
        SdesException e = assertThrows(SdesException.class, () -> SdesCrypto.parse(line), line);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
