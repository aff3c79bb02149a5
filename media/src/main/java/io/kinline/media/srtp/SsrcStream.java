package io.kinline.media.srtp;

/**
 * Per-SSRC state of one direction (RFC 3711 §3.2.3): the highest SRTP index (ROC and s_l together,
 * 48 bits), the replay windows, and the next SRTCP index to send.
 */
final class SsrcStream {

    final long ssrc;
    long highestIndex = -1;
    final ReplayWindow rtpWindow = new ReplayWindow();
    final ReplayWindow rtcpWindow = new ReplayWindow();
    long nextSrtcpIndex;
    long lastUsed;

    SsrcStream(long ssrc) {
        this.ssrc = ssrc;
    }

    /** The rollover counter to use with this stream's current highest index. */
    int roc() {
        return highestIndex < 0 ? 0 : (int) (highestIndex >>> 16);
    }

    /**
     * The packet index of sequence number {@code seq} (RFC 3711 §3.3.1 and Appendix A): the ROC is
     * guessed as the one that puts {@code seq} closest to the highest index seen. -1 when that would
     * need a negative ROC (a packet from before the stream began, reordered by more than 32768).
     */
    static long estimateIndex(long highestIndex, int seq) {
        if (highestIndex < 0) {
            return seq;
        }
        long roc = highestIndex >>> 16;
        int sl = (int) (highestIndex & 0xFFFF);
        long v;
        if (sl < 32768) {
            v = seq - sl > 32768 ? roc - 1 : roc;
        } else {
            v = sl - 32768 > seq ? roc + 1 : roc;
        }
        return v < 0 ? -1 : (v << 16) | seq;
    }
}
