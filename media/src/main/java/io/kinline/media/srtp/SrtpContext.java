package io.kinline.media.srtp;

import io.netty.buffer.ByteBuf;

/**
 * What {@link SrtpSender} and {@link SrtpReceiver} share: the session keys of one master key, a small
 * table of per-SSRC streams, counters by result, and access to a packet's bytes as an array.
 *
 * <p>Heap buffers are transformed in their backing array; direct buffers (what epoll reads into) are
 * copied into a scratch array and back, two copies of at most 1.5 KB that cost far less than the AES
 * and SHA-1 around them. Nothing is allocated per packet.
 *
 * <p>Confined to one thread (the endpoint's event loop): no locks, no volatile fields.
 */
abstract class SrtpContext {

    /** Largest plaintext RTP or RTCP packet, as {@code RtpPacket.MAX_LENGTH}. */
    public static final int MAX_PACKET = 1500;
    /** At most this many SSRCs per direction; the least recently used is forgotten beyond it. */
    static final int MAX_STREAMS = 8;
    /** SRTCP's E flag and 31-bit index (RFC 3711 §3.4). */
    static final int SRTCP_INDEX_LENGTH = 4;

    protected final SrtpProfile profile;
    protected final int tagLength;
    protected final SessionKeys rtp;
    protected final SessionKeys rtcp;
    protected final byte[] mac = new byte[HmacSha1.LENGTH];
    private final byte[] scratch = new byte[MAX_PACKET + 64];
    private final SsrcStream[] streams = new SsrcStream[MAX_STREAMS];
    private final long[] counts = new long[SrtpResult.values().length];
    private long useClock;

    protected byte[] arr;
    protected int aoff;

    SrtpContext(SrtpMasterKey master, SrtpCrypto crypto) {
        this.profile = master.profile();
        this.tagLength = profile.tagLength();
        this.rtp = SessionKeys.rtp(master, crypto);
        this.rtcp = SessionKeys.rtcp(master, crypto);
    }

    /** How many packets ended with {@code result} since this context was made. */
    public long count(SrtpResult result) {
        return counts[result.ordinal()];
    }

    protected final SrtpResult done(SrtpResult r) {
        counts[r.ordinal()]++;
        return r;
    }

    /** Points {@link #arr}/{@link #aoff} at {@code len} bytes from {@code ri}: the backing array or a copy. */
    protected final void load(ByteBuf b, int ri, int len) {
        if (b.hasArray()) {
            arr = b.array();
            aoff = b.arrayOffset() + ri;
        } else {
            b.getBytes(ri, scratch, 0, len);
            arr = scratch;
            aoff = 0;
        }
    }

    /** Writes {@code len} bytes back if {@link #load} copied them. */
    protected final void store(ByteBuf b, int ri, int len) {
        if (arr == scratch) {
            b.setBytes(ri, scratch, 0, len);
        }
        arr = null;
    }

    protected final SsrcStream find(long ssrc) {
        for (SsrcStream s : streams) {
            if (s != null && s.ssrc == ssrc) {
                s.lastUsed = ++useClock;
                return s;
            }
        }
        return null;
    }

    /** A new stream for {@code ssrc}, replacing the least recently used when the table is full. */
    protected final SsrcStream create(long ssrc) {
        int slot = 0;
        for (int i = 0; i < streams.length; i++) {
            if (streams[i] == null) {
                slot = i;
                break;
            }
            if (streams[i].lastUsed < streams[slot].lastUsed) {
                slot = i;
            }
        }
        SsrcStream s = new SsrcStream(ssrc);
        s.lastUsed = ++useClock;
        streams[slot] = s;
        return s;
    }

    /** The RTP header length (fixed part, CSRCs, extension) or -1 if it does not fit in {@code len}. */
    static int rtpHeaderLength(ByteBuf b, int off, int len) {
        if (len < 12) {
            return -1;
        }
        int b0 = b.getUnsignedByte(off);
        if ((b0 >>> 6) != 2) {
            return -1;
        }
        int hdr = 12 + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (hdr + 4 > len) {
                return -1;
            }
            hdr += 4 + 4 * b.getUnsignedShort(off + hdr + 2);
        }
        return hdr > len ? -1 : hdr;
    }

    /** Compares the first {@code n} bytes of {@link #mac} with {@code arr[at, at+n)} in constant time. */
    protected final boolean tagMatches(int at, int n) {
        int diff = 0;
        for (int i = 0; i < n; i++) {
            diff |= mac[i] ^ arr[at + i];
        }
        return diff == 0;
    }
}
