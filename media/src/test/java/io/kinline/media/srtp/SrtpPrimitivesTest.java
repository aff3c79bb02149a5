package io.kinline.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The building blocks against published vectors: RFC 3711 B.2 and B.3, RFC 2202, and javax.crypto.Mac. */
class SrtpPrimitivesTest {

    private static final SrtpMasterKey B3_MASTER = new SrtpMasterKey(SrtpProfile.AES_CM_128_HMAC_SHA1_80,
            Hex.bytes("E1F97A0D3E018BE0D64FA32C06DE4139"), Hex.bytes("0EC675AD498AFEEBB6960B3AABE6"));

    @Test
    void keyDerivationMatchesRfc3711AppendixB3() {
        assertEquals("c61e7a93744f39ee10734afe3ff7a087",
                Hex.of(SrtpKdf.derive(B3_MASTER, SrtpKdf.LABEL_RTP_ENCRYPTION, 16)));
        assertEquals("30cbbc08863d8c85d49db34a9ae1", Hex.of(SrtpKdf.derive(B3_MASTER, SrtpKdf.LABEL_RTP_SALT, 14)));
        assertEquals("cebe321f6ff7716b6fd4ab49af256a156d38baa4",
                Hex.of(SrtpKdf.derive(B3_MASTER, SrtpKdf.LABEL_RTP_AUTH, 20)));
        // The RFC lists 94 bytes of the auth keystream; its first 32 check the counter runs across blocks.
        assertEquals("cebe321f6ff7716b6fd4ab49af256a156d38baa48f0a0acf3c34e2359e6cdbce",
                Hex.of(SrtpKdf.derive(B3_MASTER, SrtpKdf.LABEL_RTP_AUTH, 32)));
    }

    @ParameterizedTest
    @EnumSource(SrtpCrypto.class)
    void counterModeKeystreamMatchesRfc3711AppendixB2(SrtpCrypto crypto) {
        AesCounterMode aes = crypto.aes(Hex.bytes("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] iv = Hex.bytes("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] ks = new byte[48];
        aes.apply(iv, ks, 0, ks.length);
        assertEquals("e03ead0935c95e80e166b16dd92b4eb4" + "d23513162b02d0f72a43a2fe4a5f97ab"
                + "41e95b3bb0a2e8dd477901e4fca894c0", Hex.of(ks));
        // Blocks 0xFEFF..0xFF01 of the same stream: the 16-bit counter carries into the second-to-last byte.
        byte[] tail = new byte[16];
        byte[] at = iv.clone();
        at[14] = (byte) 0xFE;
        at[15] = (byte) 0xFF;
        aes.apply(at, tail, 0, 16);
        assertEquals("ec8cdf7398607cb0f2d21675ea9ea1e4", Hex.of(tail));
        byte[] tail2 = new byte[32];
        at[14] = (byte) 0xFF;
        at[15] = 0;
        aes.apply(at, tail2, 0, 32);
        assertEquals("362b7c3c6773516318a077d7fc5073ae" + "6a2cc3787889374fbeb4c81b17ba6c44", Hex.of(tail2));
    }

    @ParameterizedTest
    @EnumSource(SrtpCrypto.class)
    void hmacMatchesRfc2202AndJavaxMac(SrtpCrypto crypto) throws Exception {
        // RFC 2202 test case 2: key "Jefe".
        HmacSha1 h = crypto.hmac("Jefe".getBytes());
        byte[] out = new byte[20];
        byte[] msg = "what do ya want for nothing?".getBytes();
        h.mac(msg, 0, msg.length, out);
        assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", Hex.of(out));
        // Random keys (20 bytes as SRTP, and longer than a block) and messages with a trailer, against the JDK.
        Random r = new Random(3711);
        for (int keyLen : new int[] {20, 80}) {
            byte[] key = new byte[keyLen];
            r.nextBytes(key);
            HmacSha1 ours = crypto.hmac(key);
            Mac jdk = Mac.getInstance("HmacSHA1");
            jdk.init(new SecretKeySpec(key, "HmacSHA1"));
            for (int n = 0; n < 300; n += 37) {
                byte[] m = new byte[n + 8];
                r.nextBytes(m);
                int trailer = r.nextInt();
                ours.mac(m, 4, n, trailer, out);
                jdk.update(m, 4, n);
                jdk.update(new byte[] {(byte) (trailer >>> 24), (byte) (trailer >>> 16), (byte) (trailer >>> 8),
                        (byte) trailer});
                assertArrayEquals(jdk.doFinal(), out, "n=" + n);
            }
        }
    }

    @Test
    void indexEstimationFollowsRfc3711Section331() {
        assertEquals(5, SsrcStream.estimateIndex(-1, 5), "first packet: ROC 0");
        long roc1 = 1L << 16;
        assertEquals(roc1 | 3, SsrcStream.estimateIndex(65530, 3), "wrap forward: ROC + 1");
        assertEquals(65531, SsrcStream.estimateIndex(roc1 | 3, 65531), "late packet from before the wrap: ROC - 1");
        assertEquals(roc1 | 100, SsrcStream.estimateIndex(roc1 | 90, 100));
        assertEquals(-1, SsrcStream.estimateIndex(10, 65000), "before the first packet of the stream");
        // More than half the sequence space ahead of s_l reads as the previous ROC, here before the stream.
        assertEquals(-1, SsrcStream.estimateIndex(100, 40000));
        assertEquals(40000, SsrcStream.estimateIndex(roc1 | 100, 40000), "so after a wrap it is a late packet");
    }

    @Test
    void replayWindowAcceptsEachIndexOnceWithin128() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.check(1000));
        w.update(1000);
        assertFalse(w.check(1000), "same index twice");
        assertTrue(w.check(999), "reordered by one");
        w.update(999);
        assertFalse(w.check(999));
        assertTrue(w.check(1000 - 127), "127 behind the highest is inside");
        assertFalse(w.check(1000 - 128), "128 behind is too old");
        w.update(1100);
        assertTrue(w.check(1050), "skipped indices were cleared");
        assertFalse(w.check(1000 - 1), "now out of the window");
        w.update(5000);
        for (long i = 5000 - 127; i < 5000; i++) {
            assertTrue(w.check(i), "a big jump clears the whole window: " + i);
        }
        assertFalse(w.check(5000));
    }

    @Test
    void masterKeyNeverShowsItselfAndChecksLengths() {
        assertFalse(B3_MASTER.toString().toLowerCase().contains("e1f9"));
        byte[] ks = B3_MASTER.concatenated();
        assertEquals(B3_MASTER, SrtpMasterKey.fromConcatenated(SrtpProfile.AES_CM_128_HMAC_SHA1_80, ks));
        Arrays.fill(ks, (byte) 0);
        assertEquals("e1f97a0d3e018be0d64fa32c06de4139", Hex.of(B3_MASTER.key()), "defensive copies");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SrtpMasterKey(SrtpProfile.AES_CM_128_HMAC_SHA1_80, new byte[15], new byte[14]));
    }
}
