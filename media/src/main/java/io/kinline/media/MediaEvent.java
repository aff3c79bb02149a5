package io.kinline.media;

import io.kinline.media.dtmf.DigitSource;
import io.kinline.media.threeway.Detection;

/** What an endpoint reports to the switch. */
public sealed interface MediaEvent {

    /** A DTMF digit (0-9, *, #, A-D), counted once whether it came as RFC 4733, in-band or both. */
    record Digit(char digit, DigitSource source, long atMillis) implements MediaEvent {
    }

    /** A hook flash (RFC 4733 event 16): on a called party's line, a possible three-way attempt. */
    record HookFlash(long atMillis) implements MediaEvent {
    }

    /**
     * The three-way detector on this leg ({@link MediaEndpoint#threeWayDetection}) found an attempt:
     * {@code complete} false when an episode is first detected, becomes strong or gains a sign (the
     * evidence so far), true with its full evidence when it is over (or detection stops). Sign times count from the first packet analysed,
     * which arrived at {@code streamStartedAtMillis} (wall clock).
     */
    record ThreeWay(Detection detection, boolean complete, long streamStartedAtMillis) implements MediaEvent {
    }

    /** Playback ended, by reaching the end or by being interrupted (barge-in, stop, replacement). */
    record PlaybackDone(boolean interrupted) implements MediaEvent {
    }

    /** A capture ({@link MediaEndpoint#startCapture}) ended; {@code millis} of audio were written. */
    record CaptureDone(long millis) implements MediaEvent {
    }

    /** No RTP arrived for {@code silentMillis}: the peer is gone. */
    record MediaTimeout(long silentMillis) implements MediaEvent {
    }

    /** Periodic RTP statistics (sent with each RTCP report). */
    record Statistics(RtpStatistics statistics) implements MediaEvent {
    }
}
