package io.kinline.media.rtp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * RTCP (RFC 3550 section 6): writes compound SR/RR + SDES reports and walks received compound
 * packets. Parsing never throws on garbage; it stops at the first malformed packet.
 */
public final class Rtcp {

    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    public static final int BYE = 203;
    public static final int APP = 204;

    /** Seconds between 1900 (NTP epoch) and 1970. */
    private static final long NTP_OFFSET = 2_208_988_800L;

    private Rtcp() {
    }

    /** A report block about one source (RFC 3550 6.4.1). */
    public record ReportBlock(long ssrc, int fractionLost, long cumulativeLost, long extendedHighestSeq,
            long jitter, long lsr, long dlsr) {
    }

    /** What a received compound packet said that we use. */
    public static final class Parsed {
        public boolean valid;
        public long senderSsrc = -1;
        /** Middle 32 bits of the NTP timestamp of the last SR, or -1. */
        public long srNtpMiddle = -1;
        public long srPacketCount;
        public long srOctetCount;
        public ReportBlock aboutUs;
        public boolean bye;
        public int packets;
    }

    /** NTP timestamp (64 bits) of a wall-clock time in milliseconds. */
    public static long ntp(long epochMillis) {
        long secs = epochMillis / 1000 + NTP_OFFSET;
        long frac = ((epochMillis % 1000) << 32) / 1000;
        return (secs << 32) | frac;
    }

    /**
     * Writes a compound report: an SR when {@code sentPackets > 0} (we are a sender), else an RR,
     * with one report block when {@code block} is non-null, followed by an SDES with the CNAME.
     */
    public static void writeReport(ByteBuf out, long ssrc, boolean sender, long ntp, long rtpTs, long sentPackets,
            long sentOctets, ReportBlock block, String cname) {
        int rc = block == null ? 0 : 1;
        int words = (sender ? 6 : 1) + 6 * rc; // length in 32-bit words minus one
        out.writeByte(0x80 | rc);
        out.writeByte(sender ? SR : RR);
        out.writeShort(words);
        out.writeInt((int) ssrc);
        if (sender) {
            out.writeInt((int) (ntp >>> 32));
            out.writeInt((int) ntp);
            out.writeInt((int) rtpTs);
            out.writeInt((int) sentPackets);
            out.writeInt((int) sentOctets);
        }
        if (block != null) {
            out.writeInt((int) block.ssrc());
            long lost = Math.max(-0x800000L, Math.min(0x7FFFFFL, block.cumulativeLost()));
            out.writeInt((block.fractionLost() & 0xFF) << 24 | (int) (lost & 0xFFFFFF));
            out.writeInt((int) block.extendedHighestSeq());
            out.writeInt((int) block.jitter());
            out.writeInt((int) block.lsr());
            out.writeInt((int) block.dlsr());
        }
        byte[] name = cname.getBytes(StandardCharsets.UTF_8);
        int nameLen = Math.min(name.length, 255);
        int chunk = 4 + 2 + nameLen + 1; // ssrc, type+len, text, END
        int padded = (chunk + 3) & ~3;
        out.writeByte(0x81);
        out.writeByte(SDES);
        out.writeShort(padded / 4); // (4 header + padded) / 4 - 1
        out.writeInt((int) ssrc);
        out.writeByte(1); // CNAME
        out.writeByte(nameLen);
        out.writeBytes(name, 0, nameLen);
        for (int i = chunk - 1; i < padded; i++) {
            out.writeByte(0);
        }
    }

    /**
     * Walks a compound RTCP packet, collecting the sender's SR info and the report block about
     * {@code ourSsrc}. Sets {@code valid=false} on anything malformed.
     */
    public static Parsed parse(ByteBuf in, long ourSsrc) {
        Parsed p = new Parsed();
        int idx = in.readerIndex();
        int end = idx + in.readableBytes();
        if (end - idx < 8) {
            return p;
        }
        while (idx + 4 <= end) {
            int b0 = in.getUnsignedByte(idx);
            int pt = in.getUnsignedByte(idx + 1);
            int len = (in.getUnsignedShort(idx + 2) + 1) * 4;
            if ((b0 >>> 6) != 2 || pt < SR || pt > APP || idx + len > end) {
                p.valid = false;
                return p;
            }
            int count = b0 & 0x1F;
            if (pt == SR || pt == RR) {
                int blocksAt = idx + (pt == SR ? 28 : 8);
                if (blocksAt + 24 * count > idx + len) {
                    p.valid = false;
                    return p;
                }
                p.senderSsrc = in.getUnsignedInt(idx + 4);
                if (pt == SR) {
                    p.srNtpMiddle = (in.getUnsignedInt(idx + 8) << 16 | in.getUnsignedInt(idx + 12) >>> 16) & 0xFFFFFFFFL;
                    p.srPacketCount = in.getUnsignedInt(idx + 20);
                    p.srOctetCount = in.getUnsignedInt(idx + 24);
                }
                for (int i = 0; i < count; i++) {
                    int b = blocksAt + 24 * i;
                    long s = in.getUnsignedInt(b);
                    if (s == ourSsrc) {
                        int word = in.getInt(b + 4);
                        int lost = word << 8 >> 8; // sign-extend 24 bits
                        p.aboutUs = new ReportBlock(s, word >>> 24 & 0xFF, lost, in.getUnsignedInt(b + 8),
                                in.getUnsignedInt(b + 12), in.getUnsignedInt(b + 16), in.getUnsignedInt(b + 20));
                    }
                }
            } else if (pt == BYE) {
                p.bye = true;
            }
            p.packets++;
            idx += len;
        }
        p.valid = idx == end && p.packets > 0;
        return p;
    }
}
