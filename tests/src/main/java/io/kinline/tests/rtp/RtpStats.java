package io.kinline.tests.rtp;

/**
 * Receive-side counters computed from the sequence numbers of every packet received.
 *
 * @param received packets received (all SSRCs)
 * @param expected packets expected from the extended sequence range, per SSRC, summed
 * @param lost expected minus distinct received (never negative)
 * @param duplicates packets whose (ssrc, extended seq) was already seen
 * @param discontinuities times the next packet of an SSRC was not previous+1
 * @param ssrcs distinct SSRCs seen
 */
public record RtpStats(long received, long expected, long lost, long duplicates, long discontinuities, int ssrcs) {
}
