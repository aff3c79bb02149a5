package io.kinline.media.ice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The STUN codec against RFC 5769's sample messages, round trips, and hostile input. */
class StunMessageTest {

    static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
    /** RFC 5769 §2.1, sample request (SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MI, FINGERPRINT). */
    static final byte[] SAMPLE_REQUEST = HexFormat.of().parseHex("000100582112a442b7e7a701bc34d686fa87dfae"
            + "802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b36"
            + "000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
            + "80280004e57a3bcf");
    /** RFC 5769 §2.2, sample IPv4 response: XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
    static final byte[] SAMPLE_RESPONSE = HexFormat.of().parseHex("0101003c2112a442b7e7a701bc34d686fa87dfae"
            + "8022000b7465737420766563746f7220002000080001a147e112a643000800142b91f599fd9e90c3"
            + "8c7489f92af9ba53f06be7d780280004c07d4c96");

    @Test
    void decodesTheRfc5769SampleRequest() throws StunException {
        StunMessage m = StunMessage.decode(Unpooled.wrappedBuffer(SAMPLE_REQUEST));
        assertTrue(m.isRequest());
        assertEquals(Stun.BINDING_REQUEST, m.type());
        assertEquals("evtj:h6vY", m.username());
        assertEquals(0x6e0001ffL, m.priority());
        assertEquals(0x932ff9b151263b36L, m.tieBreaker(Stun.ICE_CONTROLLED));
        assertTrue(m.hasFingerprint());
        assertTrue(m.verifyIntegrity(PASSWORD));
        assertFalse(m.verifyIntegrity("VOkJxbRl1RmTxUk/WvJxBT".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, m.unknownComprehensionRequired().length);
    }

    @Test
    void decodesTheRfc5769SampleResponse() throws StunException {
        StunMessage m = StunMessage.decode(Unpooled.wrappedBuffer(SAMPLE_RESPONSE));
        assertEquals(Stun.BINDING_SUCCESS, m.type());
        assertEquals(new InetSocketAddress("192.0.2.1", 32853), m.xorMappedAddress());
        assertTrue(m.verifyIntegrity(PASSWORD));
    }

    @Test
    void encodesWhatItDecodesWithIntegrityAndFingerprintForIpv4AndIpv6() throws StunException {
        byte[] tid = new byte[12];
        new Random(1).nextBytes(tid);
        for (InetSocketAddress a : new InetSocketAddress[] {new InetSocketAddress("10.1.2.3", 50000),
                new InetSocketAddress("2001:db8::1", 3478)}) {
            byte[] wire = new StunEncoder(Stun.BINDING_SUCCESS, tid).xorMappedAddress(a).username("ab:cde")
                    .encode(PASSWORD, true);
            StunMessage m = StunMessage.decode(Unpooled.wrappedBuffer(wire));
            assertEquals(a, m.xorMappedAddress());
            assertEquals("ab:cde", m.username());
            assertArrayEquals(tid, m.transactionId());
            assertTrue(m.verifyIntegrity(PASSWORD));
            assertTrue(m.hasFingerprint());
        }
        byte[] err = new StunEncoder(Stun.BINDING_ERROR, tid).errorCode(487, "Role Conflict").encode(null, true);
        assertEquals(487, StunMessage.decode(Unpooled.wrappedBuffer(err)).errorCode());
    }

    @Test
    void refusesBrokenMessagesWithThePreciseReason() {
        refused("shorter than the 20-byte", new byte[19]);
        byte[] bad = SAMPLE_REQUEST.clone();
        bad[4] = 0;
        refused("no magic cookie", bad);
        bad = SAMPLE_REQUEST.clone();
        bad[0] = (byte) 0x80;
        refused("first two bits", bad);
        bad = SAMPLE_REQUEST.clone();
        bad[3] += 4;
        refused("does not match", bad);
        bad = SAMPLE_REQUEST.clone();
        bad[bad.length - 1] ^= 1;
        refused("FINGERPRINT does not match", bad);
        bad = SAMPLE_REQUEST.clone();
        bad[20 + 20 + 3] = 3; // PRIORITY of length 3
        refused("bad length 3", bad);
        bad = SAMPLE_REQUEST.clone();
        bad[22] = 0x7F; // SOFTWARE claims 32k
        refused("runs past the end", bad);
        byte[] many = new StunEncoder(Stun.BINDING_REQUEST, new byte[12]).encode(null, false);
        StunEncoder e = new StunEncoder(Stun.BINDING_REQUEST, new byte[12]);
        for (int i = 0; i < 40; i++) {
            e.attribute(0x8001, new byte[0]);
        }
        refused("more than 32 attributes", e.encode(null, false));
        assertEquals(20, many.length);
        refused("longer than 1500", new byte[1501]);
    }

    @Test
    void garbageAndMutationsOnlyEverRaiseStunException() {
        Random r = new Random(8489);
        int decoded = 0;
        for (int i = 0; i < 50_000; i++) {
            byte[] d;
            if (i % 2 == 0) {
                d = new byte[r.nextInt(120)];
                r.nextBytes(d);
                if (d.length >= 8 && r.nextBoolean()) { // a plausible header, so the fuzz gets past the cookie
                    d[0] = 0;
                    d[1] = 1;
                    d[2] = (byte) ((d.length - 20) >>> 8);
                    d[3] = (byte) (d.length - 20);
                    d[4] = 0x21;
                    d[5] = 0x12;
                    d[6] = (byte) 0xA4;
                    d[7] = 0x42;
                }
            } else {
                d = SAMPLE_REQUEST.clone();
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            try {
                StunMessage m = StunMessage.decode(Unpooled.wrappedBuffer(d));
                m.username();
                m.priority();
                m.errorCode();
                m.verifyIntegrity(PASSWORD);
                m.xorMappedAddress();
                decoded++;
            } catch (StunException expected) {
                // the only exception hostile input may cause
            }
        }
        assertTrue(decoded > 0, "some mutations stay well formed (a flipped bit in a value, say)");
    }

    private static void refused(String reason, byte[] d) {
        StunException e = assertThrows(StunException.class, () -> StunMessage.decode(Unpooled.wrappedBuffer(d)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
