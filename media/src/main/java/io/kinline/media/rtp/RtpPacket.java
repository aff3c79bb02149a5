package io.kinline.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A mutable view over one RTP packet in a {@link ByteBuf} (RFC 3550 section 5.1).
 *
 * <p>One instance is reused for every packet of a socket: {@link #wrap} validates the header and
 * caches the fields the hot path reads; setters write straight into the buffer, so relaying is a
 * header rewrite in place and the same buffer goes out again. Garbage is rejected by a {@code false}
 * return, never an exception, because a flood of junk must not cost a stack trace per packet.
 *
 * <p>Not thread safe; the view does not own (retain or release) the buffer.
 */
public final class RtpPacket {

    /** The fixed header length. */
    public static final int HEADER = 12;
    /** Datagrams longer than this are not RTP we can use (G.711 at 60 ms is 480 bytes of payload). */
    public static final int MAX_LENGTH = 1500;

    private ByteBuf buf;
    private int base;
    private int length;
    private int payloadOffset;
    private int payloadLength;

    /**
     * Points this view at the readable bytes of {@code b} and validates them.
     *
     * @return false when the bytes are not a valid RTP packet (the view is then unusable)
     */
    public boolean wrap(ByteBuf b) {
        return wrap(b, b.readerIndex(), b.readableBytes());
    }

    public boolean wrap(ByteBuf b, int offset, int len) {
        this.buf = b;
        this.base = offset;
        this.length = len;
        this.payloadOffset = -1;
        if (len < HEADER || len > MAX_LENGTH) {
            return false;
        }
        int b0 = b.getUnsignedByte(offset);
        if ((b0 >>> 6) != 2) {
            return false;
        }
        int pt = b.getUnsignedByte(offset + 1) & 0x7F;
        // RTCP packet types 200-204 show up as 72-76 with the marker bit: not RTP (RFC 5761 4).
        if (pt >= 72 && pt <= 76) {
            return false;
        }
        int hdr = HEADER + 4 * (b0 & 0x0F);
        if (hdr > len) {
            return false;
        }
        if ((b0 & 0x10) != 0) {
            if (hdr + 4 > len) {
                return false;
            }
            int extWords = b.getUnsignedShort(offset + hdr + 2);
            hdr += 4 + 4 * extWords;
            if (hdr > len) {
                return false;
            }
        }
        int end = len;
        if ((b0 & 0x20) != 0) {
            int pad = b.getUnsignedByte(offset + len - 1);
            if (pad == 0 || hdr + pad > len) {
                return false;
            }
            end -= pad;
        }
        this.payloadOffset = hdr;
        this.payloadLength = end - hdr;
        return true;
    }

    /** Wraps a byte array (tests, benchmarks); see {@link #wrap(ByteBuf)}. */
    public boolean wrap(byte[] data, int off, int len) {
        return wrap(Unpooled.wrappedBuffer(data), off, len);
    }

    public boolean isValid() {
        return payloadOffset >= 0;
    }

    public ByteBuf buffer() {
        return buf;
    }

    /** Offset of the packet in {@link #buffer()}. */
    public int offset() {
        return base;
    }

    public int length() {
        return length;
    }

    public int version() {
        return buf.getUnsignedByte(base) >>> 6;
    }

    public boolean padding() {
        return (buf.getByte(base) & 0x20) != 0;
    }

    public boolean extension() {
        return (buf.getByte(base) & 0x10) != 0;
    }

    public int csrcCount() {
        return buf.getByte(base) & 0x0F;
    }

    public boolean marker() {
        return (buf.getByte(base + 1) & 0x80) != 0;
    }

    public void setMarker(boolean m) {
        int b1 = buf.getByte(base + 1);
        buf.setByte(base + 1, m ? b1 | 0x80 : b1 & 0x7F);
    }

    public int payloadType() {
        return buf.getByte(base + 1) & 0x7F;
    }

    public void setPayloadType(int pt) {
        buf.setByte(base + 1, (buf.getByte(base + 1) & 0x80) | (pt & 0x7F));
    }

    public int sequenceNumber() {
        return buf.getUnsignedShort(base + 2);
    }

    public void setSequenceNumber(int seq) {
        buf.setShort(base + 2, seq);
    }

    public long timestamp() {
        return buf.getUnsignedInt(base + 4);
    }

    public void setTimestamp(long ts) {
        buf.setInt(base + 4, (int) ts);
    }

    public long ssrc() {
        return buf.getUnsignedInt(base + 8);
    }

    public void setSsrc(long ssrc) {
        buf.setInt(base + 8, (int) ssrc);
    }

    /** Offset of the payload from the start of the packet. */
    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** Absolute index of the payload in {@link #buffer()}. */
    public int payloadIndex() {
        return base + payloadOffset;
    }

    /** Copies the payload into {@code dst} (at most {@code dst.length - dstOff} bytes); returns the count. */
    public int copyPayload(byte[] dst, int dstOff) {
        int n = Math.min(payloadLength, dst.length - dstOff);
        buf.getBytes(base + payloadOffset, dst, dstOff, n);
        return n;
    }

    /**
     * Writes a fixed 12-byte header (no CSRC, no extension, no padding) at the writer index of
     * {@code out}. The caller appends the payload.
     */
    public static void writeHeader(ByteBuf out, boolean marker, int pt, int seq, long ts, long ssrc) {
        out.writeByte(0x80);
        out.writeByte((marker ? 0x80 : 0) | (pt & 0x7F));
        out.writeShort(seq);
        out.writeInt((int) ts);
        out.writeInt((int) ssrc);
    }

    @Override
    public String toString() {
        if (!isValid()) {
            return "RtpPacket[invalid, " + length + " bytes]";
        }
        return "RtpPacket[pt=" + payloadType() + " seq=" + sequenceNumber() + " ts=" + timestamp() + " ssrc="
                + Long.toHexString(ssrc()) + (marker() ? " M" : "") + " payload=" + payloadLength + "]";
    }
}
