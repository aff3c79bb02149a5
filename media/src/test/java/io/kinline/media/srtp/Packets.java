package io.kinline.media.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Random;

/** RTP and RTCP packets for the SRTP tests. */
final class Packets {

    private Packets() {
    }

    /** An RTP packet: V=2, PT 0, the given seq/ts/ssrc, {@code payload} pseudo-random bytes. */
    static byte[] rtp(int seq, long ts, long ssrc, int payload, long seed) {
        byte[] p = new byte[12 + payload];
        p[0] = (byte) 0x80;
        p[1] = 0;
        p[2] = (byte) (seq >>> 8);
        p[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            p[4 + i] = (byte) (ts >>> (24 - 8 * i));
            p[8 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        Random r = new Random(seed ^ seq);
        for (int i = 12; i < p.length; i++) {
            p[i] = (byte) r.nextInt();
        }
        return p;
    }

    /** A receiver report with one report block and an SDES CNAME, as a compound packet. */
    static byte[] rtcp(long ssrc, int n) {
        byte[] p = new byte[32 + 16];
        p[0] = (byte) 0x81; // V=2, RC=1
        p[1] = (byte) 201; // RR
        p[3] = 7; // length in words - 1
        for (int i = 0; i < 4; i++) {
            p[4 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 8; i < 32; i++) {
            p[i] = (byte) (i * 7 + n);
        }
        p[32] = (byte) 0x81; // SDES, SC=1
        p[33] = (byte) 202;
        p[35] = 3;
        for (int i = 0; i < 4; i++) {
            p[36 + i] = (byte) (ssrc >>> (24 - 8 * i));
        }
        p[40] = 1; // CNAME
        p[41] = 4;
        p[42] = 'k';
        p[43] = 'i';
        p[44] = 'n';
        p[45] = (byte) ('0' + n % 10);
        return p;
    }

    /** A heap buffer holding {@code p} with 16 bytes of room for the tag. */
    static ByteBuf heap(byte[] p) {
        ByteBuf b = Unpooled.buffer(p.length + 16);
        b.writeBytes(p);
        return b;
    }

    /** A direct buffer holding {@code p} with room, as epoll reads into. */
    static ByteBuf direct(byte[] p) {
        ByteBuf b = Unpooled.directBuffer(p.length + 16);
        b.writeBytes(p);
        return b;
    }

    static byte[] bytes(ByteBuf b) {
        return ByteBufUtil.getBytes(b);
    }
}
