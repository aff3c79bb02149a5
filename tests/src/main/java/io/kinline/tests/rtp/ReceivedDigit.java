package io.kinline.tests.rtp;

/**
 * One RFC 4733 event as received: identified by (ssrc, timestamp).
 *
 * @param firstArrivalMs arrival of its first packet, ms since the peer opened
 * @param durationSamples the largest duration seen (final duration once ended)
 * @param ended whether an end packet was seen
 * @param packets how many packets carried this event (including end retransmissions)
 * @param startMarker whether the first packet seen had the marker bit
 */
public record ReceivedDigit(char digit, int event, long ssrc, long timestamp, long firstArrivalMs,
                            int durationSamples, boolean ended, int packets, boolean startMarker) {
}
