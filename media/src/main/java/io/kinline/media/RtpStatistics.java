package io.kinline.media;

/**
 * Per-leg RTP quality, as RFC 3550 defines it: {@code packetsLost} is expected minus received,
 * {@code jitterMillis} the interarrival jitter estimate.
 */
public record RtpStatistics(long packetsReceived, long packetsSent, long packetsLost, double lossFraction,
        double jitterMillis) {

    public static final RtpStatistics EMPTY = new RtpStatistics(0, 0, 0, 0, 0);
}
