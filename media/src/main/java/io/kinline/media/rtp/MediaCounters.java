package io.kinline.media.rtp;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleConsumer;

/**
 * The media engine's running totals, for whoever exports metrics (the switch binds them to Micrometer; media
 * knows nothing of it). Packet counts are {@link LongAdder}s bumped on the event loops: no allocation, no
 * shared cache line per packet. Loss and jitter are taken once per leg, when it ends, from the leg's RFC 3550
 * receiver statistics: the jitter of each ended leg goes to {@link #onLegJitter(DoubleConsumer)} (a
 * histogram, in the switch).
 */
public final class MediaCounters {

    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private final LongAdder expected = new LongAdder();
    private final LongAdder legs = new LongAdder();
    private volatile DoubleConsumer jitterSink = j -> { };

    /** RTP packets accepted from peers (after address, payload type and sequence checks). */
    public long packetsReceived() {
        return received.sum();
    }

    /** RTP packets sent to peers. */
    public long packetsSent() {
        return sent.sum();
    }

    /** Packets the peers sent that never arrived, summed over ended legs (RFC 3550 cumulative loss). */
    public long packetsLost() {
        return lost.sum();
    }

    /** Packets the peers sent (by sequence numbers), summed over ended legs: the denominator of loss. */
    public long packetsExpected() {
        return expected.sum();
    }

    /** Legs (endpoints) ended. */
    public long legsEnded() {
        return legs.sum();
    }

    /** Receives each ended leg's interarrival jitter in milliseconds (legs that received nothing are skipped). */
    public void onLegJitter(DoubleConsumer sink) {
        this.jitterSink = sink == null ? j -> { } : sink;
    }

    void packetReceived() {
        received.increment();
    }

    void packetSent() {
        sent.increment();
    }

    void legEnded(RtpReceiverStats rx) {
        legs.increment();
        if (rx.received() > 0) {
            lost.add(Math.max(0, rx.lost()));
            expected.add(Math.max(0, rx.expected()));
            try {
                jitterSink.accept(rx.jitterMillis());
            } catch (RuntimeException e) {
                // A metrics sink must not break a call's teardown.
            }
        }
    }
}
