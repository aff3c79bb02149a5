package io.kinline.media.threeway;

import java.util.Locale;

/**
 * One piece of evidence found on the called party's audio: what it was, when, and how sure the
 * detector is of it. Times count from the first sample given to the {@link ThreeWayDetector}.
 *
 * @param kind        what was heard
 * @param startMillis where it began
 * @param endMillis   where it ended (equal to the start for instantaneous signs such as an RFC 4733 flash)
 * @param confidence  0 to 1: how well it matched the sign's description (a clicked, deep on-hook gap is
 *                    1, a quiet gap of the right length without clicks much less)
 * @param detail      a few words for the investigator ("7 digits", "2 cadence cycles", "clicks at both ends")
 */
public record Sign(Kind kind, long startMillis, long endMillis, double confidence, String detail) {

    /** The signs of a three-way attempt, as they are heard from the held party's side. */
    public enum Kind {
        /** An on-hook gap of about 0.3-1.1 s of near-silence, or an RFC 4733 flash event. */
        FLASH,
        /** 350 + 440 Hz, continuous (the North American dial tone, also the recall dial tone). */
        DIAL_TONE,
        /** DTMF digits, in band or as RFC 4733 events. */
        DIALLING,
        /** 440 + 480 Hz, 2 s on, 4 s off: a third number ringing. */
        RINGBACK,
        /** 480 + 620 Hz, 0.5 s on, 0.5 s off. */
        BUSY,
        /** 480 + 620 Hz, 0.25 s on, 0.25 s off (fast busy). */
        REORDER,
        /** Special information tone: 950 / 1400 / 1800 Hz segments before an intercept message. */
        SIT,
        /** The far end's background (noise floor or spectral tilt) shifted and stayed shifted. */
        LINE_CHANGE;

        /** The name used in CLI output and incidents: {@code dial-tone}, {@code line-change}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public Sign {
        if (confidence < 0 || confidence > 1 || Double.isNaN(confidence)) {
            throw new IllegalArgumentException("confidence " + confidence);
        }
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("end " + endMillis + " before start " + startMillis);
        }
    }

    public long durationMillis() {
        return endMillis - startMillis;
    }

    /** {@code flash@12.34s(0.80, clicks at both ends)}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s@%.2fs(%.2f%s)", kind.label(), startMillis / 1000.0, confidence,
                detail.isEmpty() ? "" : ", " + detail);
    }
}
