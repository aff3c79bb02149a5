package io.kinline.media.ice;

import io.netty.buffer.ByteBuf;

/**
 * What a datagram on a WebRTC port is, by its first byte (RFC 7983 §7) and, for RTP and RTCP sharing
 * the port (RTCP-mux), by its second (RFC 5761 §4: RTCP packet types 192-223 fall in the range that
 * RTP payload types 64-95 with the marker bit would use, which is why those payload types are never
 * assigned). Checks only the first two bytes and a minimum length; each decoder validates the rest.
 */
public enum PacketKind {
    STUN, DTLS, RTP, RTCP, OTHER;

    public static PacketKind of(ByteBuf datagram) {
        int n = datagram.readableBytes();
        if (n < 2) {
            return OTHER;
        }
        int ri = datagram.readerIndex();
        int b0 = datagram.getUnsignedByte(ri);
        if (b0 <= 3) {
            return n >= Stun.HEADER ? STUN : OTHER;
        }
        if (b0 >= 20 && b0 <= 63) {
            return n >= 13 ? DTLS : OTHER; // a DTLS record header is 13 bytes
        }
        if (b0 >= 128 && b0 <= 191) {
            int pt = datagram.getUnsignedByte(ri + 1);
            if (pt >= 192 && pt <= 223) {
                return n >= 8 ? RTCP : OTHER;
            }
            return n >= 12 ? RTP : OTHER;
        }
        return OTHER; // ZRTP (16-19), TURN channels (64-79), and anything else: not spoken here
    }
}
