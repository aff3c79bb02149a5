package io.kinline.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sender and receiver together: round trips, rollover, replay, forgery, SRTCP, both crypto back-ends. */
class SrtpSessionTest {

    private static final SrtpProfile P = SrtpProfile.AES_CM_128_HMAC_SHA1_80;
    private final SrtpMasterKey key = SrtpMasterKey.random(P, new SecureRandom());

    @ParameterizedTest
    @EnumSource(SrtpCrypto.class)
    void roundTripAcrossTheSequenceWrapInHeapAndDirectBuffers(SrtpCrypto crypto) {
        SrtpSender tx = new SrtpSender(key, crypto);
        SrtpReceiver rx = new SrtpReceiver(key, crypto);
        for (int i = 0; i < 200; i++) {
            int seq = (65500 + i) & 0xFFFF;
            byte[] plain = Packets.rtp(seq, 160L * i, 0x11223344L, 160, 1);
            ByteBuf b = i % 2 == 0 ? Packets.heap(plain) : Packets.direct(plain);
            try {
                assertEquals(SrtpResult.OK, tx.protectRtp(b));
                assertEquals(plain.length + 10, b.readableBytes());
                byte[] wire = Packets.bytes(b);
                assertArrayEquals(Arrays.copyOf(plain, 12), Arrays.copyOf(wire, 12), "header stays clear");
                assertFalse(Arrays.equals(Arrays.copyOfRange(plain, 12, plain.length),
                        Arrays.copyOfRange(wire, 12, plain.length)), "payload is encrypted");
                assertEquals(SrtpResult.OK, rx.unprotectRtp(b), "seq " + seq);
                assertArrayEquals(plain, Packets.bytes(b));
            } finally {
                b.release();
            }
        }
        assertEquals(200, rx.count(SrtpResult.OK));
    }

    @Test
    void bothCryptoBackEndsProduceTheSameWireBytes() {
        SrtpSender jca = new SrtpSender(key, SrtpCrypto.JCA);
        SrtpSender bc = new SrtpSender(key, SrtpCrypto.BOUNCY_CASTLE);
        byte[] plain = Packets.rtp(7, 1, 99, 100, 2);
        ByteBuf a = Packets.heap(plain);
        ByteBuf b = Packets.direct(plain);
        jca.protectRtp(a);
        bc.protectRtp(b);
        assertArrayEquals(Packets.bytes(a), Packets.bytes(b));
        ByteBuf c = Packets.heap(Packets.rtcp(99, 1));
        ByteBuf d = Packets.heap(Packets.rtcp(99, 1));
        jca.protectRtcp(c);
        bc.protectRtcp(d);
        assertArrayEquals(Packets.bytes(c), Packets.bytes(d));
        a.release();
        b.release();
        c.release();
        d.release();
    }

    @Test
    void replayedAndTooOldPacketsAreRefusedWithoutDecrypting() {
        SrtpSender tx = new SrtpSender(key);
        SrtpReceiver rx = new SrtpReceiver(key);
        byte[][] wire = new byte[300][];
        for (int i = 0; i < 300; i++) {
            ByteBuf b = Packets.heap(Packets.rtp(i, i * 160L, 5, 20, 3));
            tx.protectRtp(b);
            wire[i] = Packets.bytes(b);
            b.release();
        }
        assertEquals(SrtpResult.OK, unprotect(rx, wire[299]));
        assertEquals(SrtpResult.REPLAYED, unprotect(rx, wire[299]), "exact replay");
        assertEquals(SrtpResult.OK, unprotect(rx, wire[299 - 127]), "reordered inside the window");
        assertEquals(SrtpResult.REPLAYED, unprotect(rx, wire[299 - 128]), "older than the window");
        assertEquals(2, rx.count(SrtpResult.REPLAYED));
    }

    @Test
    void forgedOrCorruptedPacketsFailAuthenticationAndMoveNoState() {
        SrtpSender tx = new SrtpSender(key);
        SrtpReceiver rx = new SrtpReceiver(key);
        ByteBuf b = Packets.heap(Packets.rtp(100, 0, 5, 160, 4));
        tx.protectRtp(b);
        byte[] good = Packets.bytes(b);
        b.release();
        for (int bit = 0; bit < good.length * 8; bit += 13) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            SrtpResult r = unprotect(rx, bad);
            assertTrue(r == SrtpResult.AUTH_FAILED || r == SrtpResult.MALFORMED, "bit " + bit + ": " + r);
        }
        // A forged packet with a far sequence number must not have moved the ROC: the real one still decrypts.
        assertEquals(SrtpResult.OK, unprotect(rx, good));
        SrtpReceiver otherKey = new SrtpReceiver(SrtpMasterKey.random(P, new SecureRandom()));
        assertEquals(SrtpResult.AUTH_FAILED, unprotect(otherKey, good));
        assertEquals(SrtpResult.MALFORMED, unprotect(rx, new byte[21]));
        assertEquals(SrtpResult.TOO_LONG, unprotect(rx, new byte[1600]));
    }

    @Test
    void srtcpRoundTripsWithIndexAndEFlagAndRefusesReplays() {
        SrtpSender tx = new SrtpSender(key);
        SrtpReceiver rx = new SrtpReceiver(key);
        byte[] last = null;
        for (int i = 0; i < 5; i++) {
            byte[] plain = Packets.rtcp(0xABCDEF01L, i);
            ByteBuf b = Packets.direct(plain);
            assertEquals(SrtpResult.OK, tx.protectRtcp(b));
            byte[] wire = Packets.bytes(b);
            assertEquals(plain.length + 14, wire.length);
            int word = ((wire[plain.length] & 0xFF) << 24) | ((wire[plain.length + 1] & 0xFF) << 16)
                    | ((wire[plain.length + 2] & 0xFF) << 8) | (wire[plain.length + 3] & 0xFF);
            assertEquals(0x80000000 | i, word, "E flag set, index counts from 0");
            assertArrayEquals(Arrays.copyOf(plain, 8), Arrays.copyOf(wire, 8), "first header and SSRC stay clear");
            assertEquals(SrtpResult.OK, rx.unprotectRtcp(b));
            assertArrayEquals(plain, Packets.bytes(b));
            b.release();
            last = wire;
        }
        assertEquals(SrtpResult.REPLAYED, unprotectRtcp(rx, last));
        ByteBuf next = Packets.heap(Packets.rtcp(0xABCDEF01L, 5));
        tx.protectRtcp(next);
        byte[] fresh = Packets.bytes(next);
        next.release();
        byte[] flipped = fresh.clone();
        flipped[10] ^= 1;
        assertEquals(SrtpResult.AUTH_FAILED, unprotectRtcp(rx, flipped));
        assertEquals(SrtpResult.OK, unprotectRtcp(rx, fresh), "the forgery did not mark index 5 seen");
    }

    @Test
    void senderRefusesToReuseAnIndexAndAPacketWithoutRoom() {
        SrtpSender tx = new SrtpSender(key);
        byte[] p = Packets.rtp(1, 0, 1, 10, 5);
        ByteBuf a = Packets.heap(p);
        assertEquals(SrtpResult.OK, tx.protectRtp(a));
        ByteBuf again = Packets.heap(p);
        assertEquals(SrtpResult.REPLAYED, tx.protectRtp(again), "same index, keystream reuse");
        ByteBuf fixed = io.netty.buffer.Unpooled.buffer(p.length, p.length);
        fixed.writeBytes(Packets.rtp(2, 0, 1, 10, 5));
        assertEquals(SrtpResult.NO_ROOM, tx.protectRtp(fixed));
        a.release();
        again.release();
        fixed.release();
    }

    private static SrtpResult unprotect(SrtpReceiver rx, byte[] wire) {
        ByteBuf b = Packets.heap(wire);
        try {
            return rx.unprotectRtp(b);
        } finally {
            b.release();
        }
    }

    private static SrtpResult unprotectRtcp(SrtpReceiver rx, byte[] wire) {
        ByteBuf b = Packets.heap(wire);
        try {
            return rx.unprotectRtcp(b);
        } finally {
            b.release();
        }
    }
}
