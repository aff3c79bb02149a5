package io.kinline.media.rtp;

/**
 * Receive-side statistics of one RTP source, using the algorithms of RFC 3550 appendix A.1
 * (sequence number validation), A.3 (expected and lost packets) and A.8 (interarrival jitter).
 *
 * <p>Owned by one event loop; not thread safe.
 */
public final class RtpReceiverStats {

    private static final int RTP_SEQ_MOD = 1 << 16;
    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;
    private static final int MIN_SEQUENTIAL = 2;

    private final int clockRate;
    private long ssrc = -1;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private long badSeq = RTP_SEQ_MOD + 1;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long transit;
    private boolean haveTransit;
    private double jitter; // in timestamp units
    private int lastFraction;

    public RtpReceiverStats(int clockRate) {
        this.clockRate = clockRate;
    }

    /** Forgets the current source (a new SSRC or a re-latch). */
    public void reset() {
        ssrc = -1;
        received = 0;
        expectedPrior = 0;
        receivedPrior = 0;
        haveTransit = false;
        jitter = 0;
        cycles = 0;
        probation = 0;
    }

    /**
     * Accounts one received packet.
     *
     * @param arrivalNanos the arrival time from {@link System#nanoTime()}
     * @return false when the sequence number is out of bounds (A.1) and the packet should be dropped
     */
    public boolean onPacket(long packetSsrc, int seq, long rtpTs, long arrivalNanos) {
        if (packetSsrc != ssrc) {
            reset();
            ssrc = packetSsrc;
            initSeq(seq);
            // A.1 holds a new source on probation for MIN_SEQUENTIAL packets. Our sources are latched
            // unicast peers, so the first packet is trusted: it counts and it plays.
            probation = 0;
            received = 1;
            return updateJitter(rtpTs, arrivalNanos);
        }
        if (!updateSeq(seq)) {
            return false;
        }
        return updateJitter(rtpTs, arrivalNanos);
    }

    private boolean updateJitter(long rtpTs, long arrivalNanos) {
        // A.8: transit = arrival (in timestamp units) - RTP timestamp; jitter += (|D| - jitter) / 16.
        long arrival = arrivalNanos * clockRate / 1_000_000_000L;
        long t = (arrival - rtpTs) & 0xFFFFFFFFL;
        if (haveTransit) {
            long d = (int) (t - transit); // signed 32-bit difference survives wrap-around
            jitter += (Math.abs(d) - jitter) / 16.0;
        }
        transit = t;
        haveTransit = true;
        return true;
    }

    private void initSeq(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = RTP_SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    private boolean updateSeq(int seq) {
        int udelta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSeq(seq);
                    received++;
                    return true;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            // Still probing: count it so a short stream is not reported as nothing at all.
            received++;
            if (received == 1) {
                baseSeq = seq;
            }
            return true;
        } else if (udelta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += RTP_SEQ_MOD;
            }
            maxSeq = seq;
        } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                initSeq(seq);
            } else {
                badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
                return false;
            }
        }
        // else: duplicate or reordered packet, counted below
        received++;
        return true;
    }

    public long ssrc() {
        return ssrc;
    }

    public long received() {
        return received;
    }

    /** Extended highest sequence number received. */
    public long extendedMax() {
        return cycles + maxSeq;
    }

    public long expected() {
        return received == 0 ? 0 : extendedMax() - baseSeq + 1;
    }

    /** Cumulative packets lost (may be negative with duplicates, as RFC 3550 allows). */
    public long lost() {
        return received == 0 ? 0 : expected() - received;
    }

    /** Jitter in timestamp units, as carried in RTCP. */
    public long jitterUnits() {
        return (long) jitter;
    }

    public double jitterMillis() {
        return jitter * 1000.0 / clockRate;
    }

    /** Loss fraction over the whole session, 0..1. */
    public double lossFraction() {
        long exp = expected();
        long lost = lost();
        return exp <= 0 || lost <= 0 ? 0 : (double) lost / exp;
    }

    /**
     * The 8-bit fraction lost since the previous call (A.3); call once per report.
     */
    public int fractionLostForReport() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        lastFraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        return Math.min(lastFraction, 255);
    }
}
