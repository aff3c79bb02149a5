package io.kinline.media.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** RFC 7983 first-byte demultiplexing, and RFC 5761 RTP/RTCP on one port. */
class PacketKindTest {

    private static PacketKind kind(int b0, int b1, int len) {
        byte[] d = new byte[len];
        d[0] = (byte) b0;
        if (len > 1) {
            d[1] = (byte) b1;
        }
        return PacketKind.of(Unpooled.wrappedBuffer(d));
    }

    @Test
    void classifiesByTheFirstByteAndRtcpByTheSecond() {
        assertEquals(PacketKind.STUN, PacketKind.of(Unpooled.wrappedBuffer(StunMessageTest.SAMPLE_REQUEST)));
        assertEquals(PacketKind.DTLS, kind(22, 0xFE, 60)); // handshake record
        assertEquals(PacketKind.DTLS, kind(23, 0xFE, 60)); // application data
        assertEquals(PacketKind.RTP, kind(0x80, 0, 172));
        assertEquals(PacketKind.RTP, kind(0x80, 0x80 | 111, 100)); // Opus with the marker bit
        assertEquals(PacketKind.RTCP, kind(0x81, 200, 52)); // SR
        assertEquals(PacketKind.RTCP, kind(0x81, 201, 32)); // RR
        assertEquals(PacketKind.RTCP, kind(0x80, 206, 32)); // PSFB
        assertEquals(PacketKind.OTHER, kind(16, 0, 40), "ZRTP is not spoken");
        assertEquals(PacketKind.OTHER, kind(64, 0, 40), "TURN channel data is not spoken");
        assertEquals(PacketKind.OTHER, kind(200, 0, 40));
        assertEquals(PacketKind.OTHER, kind(0x80, 0, 11), "too short for RTP");
        assertEquals(PacketKind.OTHER, kind(0, 1, 19), "too short for STUN");
        assertEquals(PacketKind.OTHER, kind(0x80, 0, 1));
        assertEquals(PacketKind.OTHER, PacketKind.of(Unpooled.EMPTY_BUFFER));
    }
}
