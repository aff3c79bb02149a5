package io.kinline.media.threeway;

import io.kinline.media.MediaEvent;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The three-way detector on a live leg: fed by the endpoint on its event loop with each received audio
 * packet (decoded, with its RTP timestamp), each digit and flash its DTMF receiver reports, and whether
 * the switch is speaking to that leg at the moment. What the detector finds goes out as
 * {@link MediaEvent.ThreeWay}.
 *
 * <p>Time is the RTP timestamp, not the arrival: a gap in the timestamps (lost packets, a gateway's
 * silence suppression) is told to the detector as {@link ThreeWayDetector#lost lost} audio, so it can
 * never look like an on-hook gap. A packet older than what was already processed (late, duplicated) is
 * skipped; a jump of more than {@value #MAX_GAP_SECONDS} s either way (a new source) starts the timeline
 * afresh without inventing lost audio.
 *
 * <p>Not thread safe: owned by the endpoint's event loop. Allocation free per packet.
 */
public final class ThreeWayMonitor {

    static final int MAX_GAP_SECONDS = 10;
    private static final int MAX_GAP = MAX_GAP_SECONDS * 8000;

    private final ThreeWayDetector detector;
    private final LongSupplier clock;
    private long nextTs = -1;
    private long startedAtMillis = -1;

    /**
     * @param emit  receives the events (on the feeding thread)
     * @param clock wall-clock milliseconds, to stamp where the stream began (recording offsets)
     */
    public ThreeWayMonitor(Consumer<MediaEvent> emit, LongSupplier clock) {
        this.clock = clock;
        this.detector = new ThreeWayDetector(new ThreeWayDetector.Listener() {
            @Override
            public void onDetection(Detection d) {
                emit.accept(new MediaEvent.ThreeWay(d, false, startedAtMillis));
            }

            @Override
            public void onEvidence(Detection d) {
                emit.accept(new MediaEvent.ThreeWay(d, false, startedAtMillis));
            }

            @Override
            public void onEpisodeEnd(Detection d) {
                emit.accept(new MediaEvent.ThreeWay(d, true, startedAtMillis));
            }
        });
    }

    /** One received audio packet: {@code len} samples decoded, the first at {@code rtpTimestamp}. */
    public void onAudio(long rtpTimestamp, short[] pcm, int off, int len) {
        long ts = rtpTimestamp & 0xFFFFFFFFL;
        if (nextTs < 0) {
            startedAtMillis = clock.getAsLong();
        } else {
            int delta = (int) (ts - nextTs); // serial-number arithmetic across the 32-bit wrap
            if (delta < 0 && delta >= -MAX_GAP) {
                return; // late or duplicated: that time has been analysed
            }
            if (delta > 0 && delta <= MAX_GAP) {
                detector.lost(delta);
            }
        }
        detector.process(pcm, off, len);
        nextTs = (ts + len) & 0xFFFFFFFFL;
    }

    /** A digit from the leg's DTMF receiver (RFC 4733 or in-band; one per key press). */
    public void digit(char digit, boolean rfc4733) {
        detector.digit(digit, detector.millis(), rfc4733);
    }

    /** An RFC 4733 flash event from the leg's DTMF receiver. */
    public void hookFlash() {
        detector.hookFlashEvent(detector.millis());
    }

    /** Whether the switch is speaking to this leg (a prompt or an announcement mixed in). */
    public void announcing(boolean on) {
        detector.announcing(on);
    }

    /** Detection stops: an episode in progress ends and its evidence is emitted. */
    public void stop() {
        detector.flush();
    }

    /** Wall-clock milliseconds of the first packet analysed, or -1. */
    public long startedAtMillis() {
        return startedAtMillis;
    }
}
