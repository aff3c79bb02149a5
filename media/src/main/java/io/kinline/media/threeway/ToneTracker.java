package io.kinline.media.threeway;

import static io.kinline.media.threeway.FrameFeatures.F350;
import static io.kinline.media.threeway.FrameFeatures.F440;
import static io.kinline.media.threeway.FrameFeatures.F480;
import static io.kinline.media.threeway.FrameFeatures.F620;
import static io.kinline.media.threeway.FrameFeatures.MILLIS;
import static io.kinline.media.threeway.FrameFeatures.SIT0;

import java.util.Locale;

/**
 * The call-progress tones of the North American precise tone plan (ANSI T1.401, Telcordia GR-506) and
 * the special information tone (ITU-T E.180 / Telcordia SR-2275), each frame classified from the
 * filter bank, then timed:
 *
 * <ul>
 *   <li>dial tone: 350 + 440 Hz, continuous: at least {@value #DIAL_MIN_MS} ms. Preceded by two or
 *       more bursts of 60-200 ms (the recall dial tone, stuttered, GR-506), it is the network's answer
 *       to a hook flash, and is reported as one: a flash whose gap nothing else could show (a quiet
 *       room, no clicks);</li>
 *   <li>ringback: 440 + 480 Hz, bursts of {@value #RING_MIN_MS}-{@value #RING_MAX_MS} ms; a second burst
 *       after a 3-5 s pause confirms the 2 s on / 4 s off cadence;</li>
 *   <li>busy and reorder: 480 + 620 Hz, at least three bursts of 150-700 ms with pauses of the same
 *       order (busy 0.5 / 0.5 s, reorder 0.25 / 0.25 s);</li>
 *   <li>SIT: three single tones, rising (913.8 or 985.2, then 1370.6 or 1428.5, then 1776.7 Hz), each
 *       200-440 ms, back to back.</li>
 * </ul>
 *
 * A frame counts for a dual tone only if both tones are at least {@value #MIN_TONE_DBM0} dBm0, hold
 * {@value #SHARE} of the frame's power, are within {@value #TWIST_DB} dB of each other, and the
 * neighbouring plan frequencies are weak: what tells dial tone (350+440) from ringback (440+480) is the
 * 350 Hz part and the absence of 480 Hz, not the shared 440 Hz. A run bridges up to {@value #BRIDGE}
 * bad frames (a lost packet, a click), and a dial tone or ringback run also bridges up to
 * {@value #MASK_BRIDGE} frames that are no more than {@value #MASK_DB} dB quieter than the tone: the
 * called party talking over the dial tone ("hang on, I'm calling Mike") hides it, but it goes on
 * underneath; where the tone really stops, the level falls to the room's. A dial tone's length is what
 * was heard of it, not counting the masked frames.
 */
final class ToneTracker {

    static final int NONE = 0;
    static final int DIAL = 1;
    static final int RING = 2;
    static final int BUSY = 3;
    static final int SIT1 = 4;
    static final int SIT2 = 5;
    static final int SIT3 = 6;

    static final double MIN_TONE_DBM0 = -40;
    static final double SHARE = 0.65;
    static final double TWIST_DB = 8;
    static final int BRIDGE = 2;
    static final int MASK_BRIDGE = 50;
    static final double MASK_DB = -3;

    static final int DIAL_MIN_MS = 300;
    /** A dial tone this long is reported at once (and again, complete, when it ends). */
    static final int DIAL_EARLY_MS = 1500;
    static final int RING_MIN_MS = 800;
    static final int RING_MAX_MS = 2600;
    static final int RING_OFF_MIN_MS = 3000;
    static final int RING_OFF_MAX_MS = 5000;
    static final int BUSY_MIN_MS = 150;
    static final int BUSY_MAX_MS = 700;
    static final int BUSY_BURSTS = 3;
    static final int SIT_MIN_MS = 200;
    static final int SIT_MAX_MS = 440;
    /** A recall dial tone's bursts (GR-506: 0.1 s on, 0.1 s off, three times, then steady). */
    static final int STUTTER_MIN_MS = 60;
    static final int STUTTER_MAX_MS = 200;
    static final int STUTTER_GAP_MAX_MS = 250;

    private static final double MIN_TONE = FrameFeatures.DBM0_POWER * Math.pow(10, MIN_TONE_DBM0 / 10);
    private static final double TWIST = Math.pow(10, TWIST_DB / 10);
    /** A neighbouring plan frequency must be this far below the weaker tone of the pair. */
    private static final double EXCLUDE = 0.25;
    /** 480 Hz in a dial tone, or 440 Hz in busy, is at most this share of the 440 (480) Hz power: ringback has both equal. */
    private static final double NEIGHBOUR = 0.4;
    private static final double SIT_SHARE = 0.6;
    private static final double MASK_RATIO = Math.pow(10, MASK_DB / 10);

    private final SignSink sink;

    // The current run of one class.
    private int runClass;
    private long runStart;  // first frame
    private long runLast;   // last frame of that class
    private int runCount;   // frames of that class in the run
    private double runPower; // their summed power
    private boolean dialEarlyReported;

    // Recall (stuttered) dial tone: short dial-tone bursts just before the steady tone.
    private int stutterBursts;
    private long stutterStart;
    private long stutterLastEnd = Long.MIN_VALUE / 2;
    private boolean recall;
    private boolean recallReported;

    // Ringback cadence.
    private long ringLastEnd = Long.MIN_VALUE / 2; // ms
    private int ringCycles;

    // Busy / reorder cadence.
    private long busyLastEnd = Long.MIN_VALUE / 2;
    private long busyFirstStart;
    private int busyBursts;
    private long busyOnTotal;

    // SIT: the segment just finished (class and end frame).
    private int sitSegment;
    private long sitSegmentEnd;
    private long sitStart;

    ToneTracker(SignSink sink) {
        this.sink = sink;
    }

    /** Classifies frame {@code k} and advances the runs; returns the frame's class. */
    int frame(long k, FrameFeatures f, boolean usable) {
        int c = usable ? classify(f) : NONE;
        if (c != NONE && c == runClass) {
            runLast = k;
            runCount++;
            runPower += f.power;
            if (c == DIAL && !dialEarlyReported && runCount * MILLIS >= DIAL_EARLY_MS) {
                dialEarlyReported = true;
                reportRecall();
                sink.sign(Sign.Kind.DIAL_TONE, runStart * MILLIS, (k + 1) * MILLIS, 1.0, "continuous, still on");
            }
            return c;
        }
        if (runClass != NONE && c == NONE) {
            if (k - runLast <= BRIDGE) {
                return NONE; // maybe a lost packet or a click inside the tone: wait
            }
            boolean maskable = runClass == DIAL || runClass == RING;
            if (maskable && usable && k - runLast <= MASK_BRIDGE && f.power >= MASK_RATIO * runPower / runCount) {
                return NONE; // other sound on top of the tone, which may go on underneath
            }
        }
        if (runClass != NONE) {
            endRun();
        }
        runClass = c;
        runStart = k;
        runLast = k;
        runCount = 1;
        runPower = f.power;
        dialEarlyReported = false;
        recall = c == DIAL && stutterBursts >= 2 && k * MILLIS - stutterLastEnd <= STUTTER_GAP_MAX_MS;
        recallReported = false;
        return c;
    }

    /** Ends a tone still sounding (end of the stream). */
    void flush() {
        if (runClass != NONE) {
            endRun();
            runClass = NONE;
        }
    }

    private int classify(FrameFeatures f) {
        if (!f.banked) {
            return NONE;
        }
        double[] t = f.tone;
        double total = f.power;
        double p350 = t[F350], p440 = t[F440], p480 = t[F480], p620 = t[F620];
        if (pair(p350, p440, total) && p480 < NEIGHBOUR * p440 && p620 < EXCLUDE * Math.min(p350, p440)) {
            return DIAL;
        }
        if (pair(p440, p480, total) && p350 < EXCLUDE * Math.min(p440, p480) && p620 < EXCLUDE * Math.min(p440, p480)) {
            return RING;
        }
        if (pair(p480, p620, total) && p440 < NEIGHBOUR * p480 && p350 < EXCLUDE * Math.min(p480, p620)) {
            return BUSY;
        }
        int best = SIT0;
        for (int i = SIT0 + 1; i < t.length; i++) {
            if (t[i] > t[best]) {
                best = i;
            }
        }
        if (t[best] >= MIN_TONE && t[best] >= SIT_SHARE * total) {
            return best <= SIT0 + 1 ? SIT1 : best <= SIT0 + 3 ? SIT2 : SIT3;
        }
        return NONE;
    }

    private static boolean pair(double a, double b, double total) {
        return a >= MIN_TONE && b >= MIN_TONE && a + b >= SHARE * total && a <= TWIST * b && b <= TWIST * a;
    }

    private void endRun() {
        long startMs = runStart * MILLIS;
        long endMs = (runLast + 1) * MILLIS;
        long dur = endMs - startMs;
        switch (runClass) {
            case DIAL -> {
                long heard = (long) runCount * MILLIS;
                if (dur >= STUTTER_MIN_MS && dur <= STUTTER_MAX_MS) {
                    boolean next = stutterBursts > 0 && startMs - stutterLastEnd <= STUTTER_GAP_MAX_MS;
                    stutterBursts = next ? stutterBursts + 1 : 1;
                    stutterStart = next ? stutterStart : startMs;
                    stutterLastEnd = endMs;
                    return;
                }
                stutterBursts = 0;
                if (heard >= DIAL_MIN_MS) {
                    reportRecall();
                    double c = Math.min(1.0, 0.4 + 0.6 * (heard - DIAL_MIN_MS) / (DIAL_EARLY_MS - DIAL_MIN_MS));
                    sink.sign(Sign.Kind.DIAL_TONE, startMs, endMs, c, heard == dur
                            ? String.format(Locale.ROOT, "%.1f s", dur / 1000.0)
                            : String.format(Locale.ROOT, "%.1f s heard in %.1f s", heard / 1000.0, dur / 1000.0));
                }
            }
            case RING -> ringBurst(startMs, endMs, dur);
            case BUSY -> busyBurst(startMs, endMs, dur);
            case SIT1, SIT2, SIT3 -> sitSegment(runClass, startMs, endMs, dur);
            default -> {
            }
        }
    }

    /** The steady part of a recall dial tone is being reported: say first that the line was flashed. */
    private void reportRecall() {
        if (recall && !recallReported) {
            recallReported = true;
            sink.sign(Sign.Kind.FLASH, stutterStart, stutterStart, 0.8, "recall dial tone (stuttered): the line was flashed");
        }
    }

    private void ringBurst(long startMs, long endMs, long dur) {
        if (dur < RING_MIN_MS || dur > RING_MAX_MS) {
            ringCycles = 0;
            return;
        }
        long off = startMs - ringLastEnd;
        boolean cadence = off >= RING_OFF_MIN_MS && off <= RING_OFF_MAX_MS;
        ringCycles = cadence ? ringCycles + 1 : 1;
        ringLastEnd = endMs;
        double c = ringCycles >= 2 ? 1.0 : 0.6;
        sink.sign(Sign.Kind.RINGBACK, startMs, endMs, c, ringCycles >= 2 ? ringCycles + " cycles" : "one burst");
    }

    private void busyBurst(long startMs, long endMs, long dur) {
        if (dur < BUSY_MIN_MS || dur > BUSY_MAX_MS) {
            busyBursts = 0;
            return;
        }
        long off = startMs - busyLastEnd;
        if (busyBursts > 0 && off >= BUSY_MIN_MS && off <= BUSY_MAX_MS) {
            busyBursts++;
            busyOnTotal += dur;
        } else {
            busyBursts = 1;
            busyOnTotal = dur;
            busyFirstStart = startMs;
        }
        busyLastEnd = endMs;
        if (busyBursts >= BUSY_BURSTS) {
            boolean busy = busyOnTotal / busyBursts >= 375;
            double c = Math.min(1.0, 0.6 + 0.1 * (busyBursts - BUSY_BURSTS));
            sink.sign(busy ? Sign.Kind.BUSY : Sign.Kind.REORDER, busyFirstStart, endMs, c, busyBursts + " bursts");
        }
    }

    private void sitSegment(int cls, long startMs, long endMs, long dur) {
        if (dur < SIT_MIN_MS || dur > SIT_MAX_MS) {
            sitSegment = NONE;
            return;
        }
        boolean follows = sitSegment == cls - 1 && startMs - sitSegmentEnd <= 3 * MILLIS;
        if (cls == SIT1) {
            sitStart = startMs;
        } else if (!follows) {
            sitSegment = NONE;
            return;
        }
        sitSegment = cls;
        sitSegmentEnd = endMs;
        if (cls == SIT3) {
            sink.sign(Sign.Kind.SIT, sitStart, endMs, 1.0, "three segments");
            sitSegment = NONE;
        }
    }
}
