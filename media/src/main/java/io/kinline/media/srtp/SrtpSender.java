package io.kinline.media.srtp;

import io.netty.buffer.ByteBuf;

/**
 * Protects outgoing RTP and RTCP with one master key (RFC 3711 §3.3, §3.4): encrypts in place and
 * appends the tag (and for SRTCP the E flag and index) to the buffer's readable bytes.
 *
 * <p>Give the buffer 14 bytes of room past its writer index so that protecting never reallocates.
 * An index is never protected twice (libsrtp refuses it too): two different payloads under one index
 * would share a keystream. One instance per direction of a leg, confined to its event loop.
 */
public final class SrtpSender extends SrtpContext {

    /** Largest 48-bit SRTP index and 31-bit SRTCP index one master key may protect (RFC 3711 §9.2). */
    static final long MAX_SRTP_INDEX = (1L << 48) - 1;
    static final long MAX_SRTCP_INDEX = (1L << 31) - 1;

    public SrtpSender(SrtpMasterKey master) {
        this(master, SrtpCrypto.DEFAULT);
    }

    public SrtpSender(SrtpMasterKey master, SrtpCrypto crypto) {
        this(master, crypto, MAX_SRTP_INDEX + 1);
    }

    /**
     * @param lifetime how many SRTP packets, and how many SRTCP packets, this key may protect (an SDES
     *                 key lifetime, RFC 4568 §6.1); past it every packet is {@link SrtpResult#KEY_EXHAUSTED}
     */
    public SrtpSender(SrtpMasterKey master, SrtpCrypto crypto, long lifetime) {
        super(master, crypto);
        this.lifetime = lifetime;
    }

    private final long lifetime;
    private long rtpProtected;
    private long rtcpProtected;

    /** Turns the RTP packet in {@code packet}'s readable bytes into SRTP; the writer index moves by the tag. */
    public SrtpResult protectRtp(ByteBuf packet) {
        int ri = packet.readerIndex();
        int len = packet.readableBytes();
        if (len > MAX_PACKET) {
            return done(SrtpResult.TOO_LONG);
        }
        int hdr = rtpHeaderLength(packet, ri, len);
        if (hdr < 0) {
            return done(SrtpResult.MALFORMED);
        }
        if (!room(packet, tagLength)) {
            return done(SrtpResult.NO_ROOM);
        }
        long ssrc = packet.getUnsignedInt(ri + 8);
        int seq = packet.getUnsignedShort(ri + 2);
        SsrcStream s = find(ssrc);
        if (s == null) {
            s = create(ssrc);
        }
        long index = SsrcStream.estimateIndex(s.highestIndex, seq);
        if (index < 0 || !s.rtpWindow.check(index)) {
            return done(SrtpResult.REPLAYED);
        }
        if (index > MAX_SRTP_INDEX || rtpProtected >= lifetime) {
            return done(SrtpResult.KEY_EXHAUSTED);
        }
        rtpProtected++;
        load(packet, ri, len);
        rtp.aes.apply(rtp.iv(ssrc, index), arr, aoff + hdr, len - hdr);
        rtp.hmac.mac(arr, aoff, len, (int) (index >>> 16), mac);
        System.arraycopy(mac, 0, arr, aoff + len, tagLength);
        store(packet, ri, len + tagLength);
        packet.writerIndex(ri + len + tagLength);
        s.rtpWindow.update(index);
        if (index > s.highestIndex) {
            s.highestIndex = index;
        }
        return done(SrtpResult.OK);
    }

    /** Turns the (compound) RTCP packet in {@code packet}'s readable bytes into SRTCP, encrypted (E=1). */
    public SrtpResult protectRtcp(ByteBuf packet) {
        int ri = packet.readerIndex();
        int len = packet.readableBytes();
        if (len > MAX_PACKET) {
            return done(SrtpResult.TOO_LONG);
        }
        if (len < 8 || (packet.getUnsignedByte(ri) >>> 6) != 2) {
            return done(SrtpResult.MALFORMED);
        }
        int trailer = SRTCP_INDEX_LENGTH + tagLength;
        if (!room(packet, trailer)) {
            return done(SrtpResult.NO_ROOM);
        }
        long ssrc = packet.getUnsignedInt(ri + 4);
        SsrcStream s = find(ssrc);
        if (s == null) {
            s = create(ssrc);
        }
        long index = s.nextSrtcpIndex;
        if (index > MAX_SRTCP_INDEX || rtcpProtected >= lifetime) {
            return done(SrtpResult.KEY_EXHAUSTED);
        }
        rtcpProtected++;
        s.nextSrtcpIndex = index + 1;
        load(packet, ri, len);
        rtcp.aes.apply(rtcp.iv(ssrc, index), arr, aoff + 8, len - 8);
        int e = aoff + len;
        arr[e] = (byte) (0x80 | (index >>> 24));
        arr[e + 1] = (byte) (index >>> 16);
        arr[e + 2] = (byte) (index >>> 8);
        arr[e + 3] = (byte) index;
        rtcp.hmac.mac(arr, aoff, len + SRTCP_INDEX_LENGTH, mac);
        System.arraycopy(mac, 0, arr, e + SRTCP_INDEX_LENGTH, tagLength);
        store(packet, ri, len + trailer);
        packet.writerIndex(ri + len + trailer);
        return done(SrtpResult.OK);
    }

    private static boolean room(ByteBuf packet, int n) {
        int r = packet.ensureWritable(n, true);
        return r == 0 || r == 2;
    }
}
