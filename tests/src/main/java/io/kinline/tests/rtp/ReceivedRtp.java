package io.kinline.tests.rtp;

import java.net.InetSocketAddress;

/**
 * One received RTP packet, as seen on the wire.
 *
 * @param arrivalMs milliseconds since the peer was opened
 */
public record ReceivedRtp(long arrivalMs, InetSocketAddress source, int payloadType, boolean marker,
                        int sequence, long timestamp, long ssrc, byte[] payload) {

    /** Parses an RTP packet (version 2, CSRCs and extension skipped); null if it isn't one. */
    public static ReceivedRtp parse(long arrivalMs, InetSocketAddress source, byte[] b, int len) {
        if (len < 12 || (b[0] & 0xC0) != 0x80) {
            return null;
        }
        int pt = b[1] & 0x7F;
        if ((b[1] & 0xFF) >= 200 && (b[1] & 0xFF) <= 206) {
            return null; // RTCP on the same port (rtcp-mux)
        }
        int cc = b[0] & 0x0F;
        int off = 12 + 4 * cc;
        if ((b[0] & 0x10) != 0) {
            if (off + 4 > len) {
                return null;
            }
            off += 4 + 4 * (((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF));
        }
        int end = len;
        if ((b[0] & 0x20) != 0 && len > off) {
            end -= b[len - 1] & 0xFF;
        }
        if (off > end) {
            return null;
        }
        byte[] payload = java.util.Arrays.copyOfRange(b, off, end);
        return new ReceivedRtp(arrivalMs, source, pt, (b[1] & 0x80) != 0,
                ((b[2] & 0xFF) << 8) | (b[3] & 0xFF), readU32(b, 4), readU32(b, 8), payload);
    }

    /** Writes a 12-byte RTP header followed by the payload. */
    public static byte[] build(int pt, boolean marker, int seq, long ts, long ssrc, byte[] payload) {
        byte[] b = new byte[12 + payload.length];
        b[0] = (byte) 0x80;
        b[1] = (byte) ((marker ? 0x80 : 0) | (pt & 0x7F));
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
        writeU32(b, 4, ts);
        writeU32(b, 8, ssrc);
        System.arraycopy(payload, 0, b, 12, payload.length);
        return b;
    }

    static long readU32(byte[] b, int off) {
        return ((long) (b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8)
                | (b[off + 3] & 0xFF);
    }

    static void writeU32(byte[] b, int off, long v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
