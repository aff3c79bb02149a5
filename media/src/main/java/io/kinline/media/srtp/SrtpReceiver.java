package io.kinline.media.srtp;

import io.netty.buffer.ByteBuf;

/**
 * Verifies and decrypts incoming SRTP and SRTCP with one master key (RFC 3711 §3.3, §3.4), in place:
 * on {@link SrtpResult#OK} the buffer's readable bytes are the plain RTP or RTCP packet.
 *
 * <p>The order is the RFC's: estimate the index, check the replay window, authenticate, decrypt, and
 * only then update the ROC and the window, so a forged packet never moves any state. State for a new
 * SSRC is made only once its first packet authenticated, so garbage cannot fill the stream table.
 * One instance per direction of a leg, confined to its event loop.
 */
public final class SrtpReceiver extends SrtpContext {

    public SrtpReceiver(SrtpMasterKey master) {
        this(master, SrtpCrypto.DEFAULT);
    }

    public SrtpReceiver(SrtpMasterKey master, SrtpCrypto crypto) {
        super(master, crypto);
    }

    /** Verifies and decrypts the SRTP packet in {@code packet}'s readable bytes; drops the tag. */
    public SrtpResult unprotectRtp(ByteBuf packet) {
        int ri = packet.readerIndex();
        int len = packet.readableBytes();
        if (len > MAX_PACKET + tagLength) {
            return done(SrtpResult.TOO_LONG);
        }
        int rtpLen = len - tagLength;
        int hdr = rtpHeaderLength(packet, ri, rtpLen);
        if (hdr < 0) {
            return done(SrtpResult.MALFORMED);
        }
        long ssrc = packet.getUnsignedInt(ri + 8);
        int seq = packet.getUnsignedShort(ri + 2);
        SsrcStream s = find(ssrc);
        long index = SsrcStream.estimateIndex(s == null ? -1 : s.highestIndex, seq);
        if (index < 0 || (s != null && !s.rtpWindow.check(index))) {
            return done(SrtpResult.REPLAYED);
        }
        load(packet, ri, len);
        rtp.hmac.mac(arr, aoff, rtpLen, (int) (index >>> 16), mac);
        if (!tagMatches(aoff + rtpLen, tagLength)) {
            arr = null;
            return done(SrtpResult.AUTH_FAILED);
        }
        rtp.aes.apply(rtp.iv(ssrc, index), arr, aoff + hdr, rtpLen - hdr);
        store(packet, ri, rtpLen);
        packet.writerIndex(ri + rtpLen);
        if (s == null) {
            s = create(ssrc);
        }
        s.rtpWindow.update(index);
        if (index > s.highestIndex) {
            s.highestIndex = index;
        }
        return done(SrtpResult.OK);
    }

    /** Verifies and (if E is set) decrypts the SRTCP packet; drops the E/index word and the tag. */
    public SrtpResult unprotectRtcp(ByteBuf packet) {
        int ri = packet.readerIndex();
        int len = packet.readableBytes();
        int trailer = SRTCP_INDEX_LENGTH + tagLength;
        if (len > MAX_PACKET + trailer) {
            return done(SrtpResult.TOO_LONG);
        }
        if (len < 8 + trailer || (packet.getUnsignedByte(ri) >>> 6) != 2) {
            return done(SrtpResult.MALFORMED);
        }
        int authLen = len - tagLength;
        long word = packet.getUnsignedInt(ri + authLen - SRTCP_INDEX_LENGTH);
        boolean encrypted = (word & 0x80000000L) != 0;
        long index = word & 0x7FFFFFFFL;
        long ssrc = packet.getUnsignedInt(ri + 4);
        SsrcStream s = find(ssrc);
        if (s != null && !s.rtcpWindow.check(index)) {
            return done(SrtpResult.REPLAYED);
        }
        load(packet, ri, len);
        rtcp.hmac.mac(arr, aoff, authLen, mac);
        if (!tagMatches(aoff + authLen, tagLength)) {
            arr = null;
            return done(SrtpResult.AUTH_FAILED);
        }
        int plainLen = authLen - SRTCP_INDEX_LENGTH;
        if (encrypted) {
            rtcp.aes.apply(rtcp.iv(ssrc, index), arr, aoff + 8, plainLen - 8);
        }
        store(packet, ri, plainLen);
        packet.writerIndex(ri + plainLen);
        if (s == null) {
            s = create(ssrc);
        }
        s.rtcpWindow.update(index);
        return done(SrtpResult.OK);
    }
}
