package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    @Test
    void parsesTheFixedHeader() {
        byte[] d = RtpTestPeer.build(true, 8, 0xABCD, 0xFEDCBA98L, 0x12345678L, new byte[] {1, 2, 3});
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(d, 0, d.length));
        assertEquals(2, p.version());
        assertTrue(p.marker());
        assertEquals(8, p.payloadType());
        assertEquals(0xABCD, p.sequenceNumber());
        assertEquals(0xFEDCBA98L, p.timestamp());
        assertEquals(0x12345678L, p.ssrc());
        assertEquals(12, p.payloadOffset());
        assertEquals(3, p.payloadLength());
        assertFalse(p.padding());
        assertFalse(p.extension());
        assertEquals(0, p.csrcCount());
    }

    @Test
    void skipsCsrcsAndExtensionAndPadding() {
        // V=2 P=1 X=1 CC=2, then 2 CSRCs, an extension of 1 word, 4 payload bytes, 3 padding bytes.
        ByteBuf b = Unpooled.buffer();
        b.writeByte(0x80 | 0x20 | 0x10 | 2).writeByte(0).writeShort(7).writeInt(100).writeInt(55);
        b.writeInt(1).writeInt(2);
        b.writeShort(0xBEDE).writeShort(1).writeInt(0xCAFEBABE);
        b.writeBytes(new byte[] {9, 9, 9, 9});
        b.writeBytes(new byte[] {0, 0, 3});
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(b));
        assertEquals(12 + 8 + 8, p.payloadOffset());
        assertEquals(4, p.payloadLength());
        assertEquals(2, p.csrcCount());
        b.release();
    }

    @Test
    void rejectsGarbageWithoutThrowing() {
        RtpPacket p = new RtpPacket();
        assertFalse(p.wrap(new byte[0], 0, 0));
        assertFalse(p.wrap(new byte[11], 0, 11), "shorter than a header");
        byte[] v1 = RtpTestPeer.build(false, 0, 1, 1, 1, new byte[10]);
        v1[0] = 0x40;
        assertFalse(p.wrap(v1, 0, v1.length), "version 1");
        byte[] cc = RtpTestPeer.build(false, 0, 1, 1, 1, new byte[4]);
        cc[0] = (byte) 0x82;
        assertFalse(p.wrap(cc, 0, cc.length), "CSRC count beyond the packet");
        byte[] ext = RtpTestPeer.build(false, 0, 1, 1, 1, new byte[4]);
        ext[0] = (byte) 0x90;
        ext[14] = 0x10;
        assertFalse(p.wrap(ext, 0, ext.length), "extension length beyond the packet");
        byte[] pad = RtpTestPeer.build(false, 0, 1, 1, 1, new byte[4]);
        pad[0] = (byte) 0xA0;
        pad[pad.length - 1] = 50;
        assertFalse(p.wrap(pad, 0, pad.length), "padding beyond the payload");
        pad[pad.length - 1] = 0;
        assertFalse(p.wrap(pad, 0, pad.length), "padding count zero");
        byte[] rtcp = RtpTestPeer.build(false, 0, 1, 1, 1, new byte[20]);
        rtcp[1] = (byte) 200;
        assertFalse(p.wrap(rtcp, 0, rtcp.length), "an RTCP SR is not RTP");
        assertFalse(p.wrap(new byte[2000], 0, 2000), "oversized");
        Random r = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[r.nextInt(40)];
            r.nextBytes(junk);
            if (p.wrap(junk, 0, junk.length)) {
                assertTrue(p.payloadOffset() + p.payloadLength() <= junk.length);
            }
        }
    }

    @Test
    void settersRewriteInPlace() {
        byte[] d = RtpTestPeer.build(false, 0, 1, 2, 3, new byte[] {7});
        RtpPacket p = new RtpPacket();
        assertTrue(p.wrap(d, 0, d.length));
        p.setMarker(true);
        p.setPayloadType(101);
        p.setSequenceNumber(0xFFFF);
        p.setTimestamp(0xFFFFFFFFL);
        p.setSsrc(0x89ABCDEFL);
        assertEquals((byte) (0x80 | 101), d[1]);
        assertEquals(0xFFFF, p.sequenceNumber());
        assertEquals(0xFFFFFFFFL, p.timestamp());
        assertEquals(0x89ABCDEFL, p.ssrc());
        assertTrue(p.marker());
        p.setMarker(false);
        assertEquals(101, p.payloadType());
        assertFalse(p.marker());
        assertEquals(7, d[12]);
    }

    @Test
    void receiverStatsCountLossAcrossWrapAndJitter() {
        RtpReceiverStats s = new RtpReceiverStats(8000);
        long t = 0;
        int seq = 65530;
        long ts = 1000;
        for (int i = 0; i < 20; i++) {
            if (i != 4 && i != 9) {
                assertTrue(s.onPacket(77, seq, ts, t));
            }
            seq = (seq + 1) & 0xFFFF;
            ts += 160;
            t += 20_000_000L;
        }
        assertEquals(18, s.received());
        assertEquals(20, s.expected());
        assertEquals(2, s.lost());
        assertEquals(0.0, s.jitterMillis(), 0.01, "perfectly paced");
        assertEquals(2 * 256 / 20, s.fractionLostForReport());
        assertEquals(0, s.fractionLostForReport(), "nothing new lost since the last report");
    }

    @Test
    void rtcpReportRoundTripsAndGarbageIsRejected() {
        ByteBuf b = Unpooled.buffer();
        Rtcp.ReportBlock block = new Rtcp.ReportBlock(0xAABBCCDDL, 25, 6, 70000, 40, 123, 456);
        Rtcp.writeReport(b, 0x11223344L, true, Rtcp.ntp(System.currentTimeMillis()), 5000, 10, 1600, block, "x@kinline");
        assertEquals(0, b.readableBytes() % 4);
        Rtcp.Parsed p = Rtcp.parse(b, 0xAABBCCDDL);
        assertTrue(p.valid);
        assertEquals(2, p.packets, "SR + SDES");
        assertEquals(0x11223344L, p.senderSsrc);
        assertEquals(10, p.srPacketCount);
        assertEquals(block, p.aboutUs);
        // RR variant.
        ByteBuf rr = Unpooled.buffer();
        Rtcp.writeReport(rr, 5, false, 0, 0, 0, 0, null, "");
        assertTrue(Rtcp.parse(rr, 1).valid);
        rr.release();
        // Truncations and junk.
        int srLength = 4 + 24 + 24;
        for (int cut = 1; cut < b.readableBytes(); cut++) {
            if (cut == srLength) {
                assertTrue(Rtcp.parse(b.slice(0, cut), 0xAABBCCDDL).valid, "the SR alone is a whole packet");
                continue;
            }
            assertFalse(Rtcp.parse(b.slice(0, cut), 0xAABBCCDDL).valid, "cut at " + cut);
        }
        Random r = new Random(2);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[r.nextInt(100)];
            r.nextBytes(junk);
            Rtcp.parse(Unpooled.wrappedBuffer(junk), 1); // must not throw
        }
        b.release();
    }
}
