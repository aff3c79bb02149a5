package io.kinline.media.threeway;

import static io.kinline.media.threeway.FrameFeatures.MILLIS;

import java.util.Locale;

/**
 * The hook flash as the held party hears it: the called party's line goes on hook for 0.3-1.1 s
 * (Telcordia GR-506: a flash is an on-hook interval of 300-1,100 ms), so the room noise and the
 * handset's microphone drop out and the line falls to near-silence, usually with a click from the
 * hook switch as it opens and again as it closes.
 *
 * <p>A pause in talk is not near-silence: the room and the line's own noise go on at the level they
 * had. So a frame is quiet only when it is {@value #BELOW_FLOOR_DB} dB under the background level
 * measured before the gap (and never above {@value #CEILING_DBM0} dBm0), or below
 * {@value #ALWAYS_QUIET_DBM0} dBm0 whatever the background. The background ({@link #floor()}) follows
 * the quietest frames: it drops at once to a quieter frame and rises {@value #FLOOR_RISE_DB_PER_S} dB/s.
 *
 * <p>A quiet run of {@value #MIN_GAP_MS}-{@value #MAX_GAP_MS} ms (the standard range with a frame of
 * slack) is a candidate. Its confidence adds up the evidence: {@value #BASE} for the gap itself, up to
 * {@value #DEPTH} for how far below the background it fell, {@value #CLICK_BEFORE} for a click within
 * 60 ms before it that stands out from what came before, {@value #CLICK_AFTER} for a click as it ends
 * that dies away at once (speech starting after a pause is as sharp as a click, but it goes on). A mobile line whose pauses are
 * digital silence gives no depth, so its pauses stay below the reporting limit unless clicked: depth
 * counts only against a floor that is line noise (not above {@value #FLOOR_NOT_NOISE_DBM0} dBm0), and not
 * on a line whose ordinary pauses keep falling as deep (noise suppression).
 * Lost packets count as quiet but carry no evidence: a gap mostly made of them is not reported, so a
 * burst of packet loss (or a gateway's silence suppression) is never a flash. Frames the switch was
 * speaking over (masked) end a gap without a sign: people fall silent to listen.
 */
final class FlashTracker {

    static final int MIN_GAP_MS = 240;
    /** Depth below the background that starts to count, and that counts fully. */
    static final double DEPTH_FROM_DB = 3;
    static final double DEPTH_FULL_DB = 12;
    /**
     * Above this the "floor" is not a line's noise but continuous sound (music, a television, a tone)
     * that the minimum follower has climbed onto: a silence after it says nothing about the hook.
     */
    static final double FLOOR_NOT_NOISE_DBM0 = -45;
    /**
     * Quiet runs this far under the floor, counted with a {@value #DEEP_MEMORY_S} s memory: a line that
     * keeps producing them (a mobile phone's noise suppression drops to digital silence after every
     * phrase) gets no credit for depth, since on it a pause is as deep as an on-hook gap.
     */
    static final double DEEP_RUN_DB = 6;
    static final double DEEP_MEMORY_S = 300;
    static final double DEEP_LINE = 1.5;
    static final int MAX_GAP_MS = 1200;
    /** The standard range, less the frame or two a click at each end takes from the measured gap. */
    static final int NOMINAL_MIN_MS = 260;
    static final int NOMINAL_MAX_MS = 1100;
    static final double BELOW_FLOOR_DB = 6;
    static final double CEILING_DBM0 = -50;
    /**
     * G.711's idle level: A-law cannot code zero and decodes a silent line as ±8 (-65.9 dBm0), and μ-law
     * turns a line card's idle noise into the same; anything at or below this is a dead line.
     */
    static final double ALWAYS_QUIET_DBM0 = -64;
    static final double FLOOR_RISE_DB_PER_S = 3;
    static final double BASE = 0.15;
    static final double DEPTH = 0.35;
    static final double CLICK_BEFORE = 0.3;
    static final double CLICK_AFTER = 0.2;
    /** Candidates below this are not reported (an unclicked pause on a digitally silent line). */
    static final double REPORT_MIN = 0.3;
    static final double CLICK_STANDS_OUT_DB = 10;
    static final double CLICK_DIES_DB = 6;

    private static final double RISE_PER_FRAME = FLOOR_RISE_DB_PER_S * MILLIS / 1000.0;
    private static final double DEEP_DECAY = Math.exp(-MILLIS / 1000.0 / DEEP_MEMORY_S);
    /** Frames after the gap in which its closing click may fall. */
    private static final int AFTER_FRAMES = 2;

    private final SignSink sink;

    private double floor = -60;
    // The last RING frames: level, click, tone. A click counts only where it stands out from its
    // neighbours: speech onsets and offsets are as sharp as clicks, but they are speech on one side.
    private static final int RING = 8;
    private final double[] level = new double[RING];
    private final boolean[] click = new boolean[RING];
    private final boolean[] tone = new boolean[RING];

    private boolean inGap;
    private long gapStart;
    private double gapRef;
    private double gapSum;
    private int gapHeard;
    private int gapLost;
    private boolean clickBefore;

    /** Deep quiet runs seen lately (decaying count). */
    private double deepRuns;

    private boolean pending;
    private long pendStart;
    private boolean pendDeepLine;
    private long pendEnd;     // first frame after the gap
    private double pendDepth;
    private boolean pendMostlyLost;
    private boolean pendClickBefore;

    FlashTracker(SignSink sink) {
        this.sink = sink;
    }

    /** The background level in dBm0, as tracked from the quietest frames. */
    double floor() {
        return floor;
    }

    boolean inGap() {
        return inGap;
    }

    void frame(long k, FrameFeatures f, boolean masked, boolean lost, boolean toneFrame) {
        int slot = (int) (k & (RING - 1));
        level[slot] = f.dbm0;
        click[slot] = f.click && !masked && !lost;
        tone[slot] = toneFrame;
        if (pending && k >= pendEnd + AFTER_FRAMES) {
            report(k);
        }
        if (masked) {
            inGap = false;
            return;
        }
        boolean quiet = lost || f.dbm0 <= quietBelow(inGap ? gapRef : floor);
        if (quiet) {
            if (!inGap) {
                inGap = true;
                gapStart = k;
                gapRef = floor;
                gapSum = 0;
                gapHeard = 0;
                gapLost = 0;
                clickBefore = clickBefore(k);
            }
            if (lost) {
                gapLost++;
            } else {
                gapSum += f.dbm0;
                gapHeard++;
            }
        } else if (inGap) {
            inGap = false;
            long ms = (k - gapStart) * MILLIS;
            double depth = gapHeard == 0 || gapRef > FLOOR_NOT_NOISE_DBM0 ? 0 : gapRef - gapSum / gapHeard;
            if (ms >= MIN_GAP_MS && ms <= MAX_GAP_MS) {
                if (pending) {
                    report(k);
                }
                pending = true;
                pendStart = gapStart;
                pendEnd = k;
                pendDepth = depth;
                pendMostlyLost = gapLost * 2 > gapLost + gapHeard;
                pendClickBefore = clickBefore;
                pendDeepLine = deepRuns >= DEEP_LINE;
            }
            if (ms >= MIN_GAP_MS && depth >= DEEP_RUN_DB) {
                deepRuns++;
            }
        }
        deepRuns *= DEEP_DECAY;
        if (!lost) {
            floor = f.dbm0 < floor ? f.dbm0 : floor + RISE_PER_FRAME;
        }
    }

    /** A click in the 3 frames before a gap starting at {@code k}, at least {@value #CLICK_STANDS_OUT_DB} dB above the frame before it. */
    private boolean clickBefore(long k) {
        for (long j = k - 1; j >= k - 3 && j >= 1; j--) {
            int s = (int) (j & (RING - 1));
            if (click[s] && level[(int) ((j - 1) & (RING - 1))] <= level[s] - CLICK_STANDS_OUT_DB) {
                return true;
            }
        }
        return false;
    }

    /**
     * A click as the gap ends (frames {@code pendEnd - 1} to {@code pendEnd + 1}) that dies away: the
     * frame after it is {@value #CLICK_DIES_DB} dB quieter, or is a tone (the dial tone right after
     * the hook closes).
     */
    private boolean clickAfter(long now) {
        for (long j = pendEnd - 1; j <= pendEnd + 1 && j < now; j++) {
            int s = (int) (j & (RING - 1));
            int next = (int) ((j + 1) & (RING - 1));
            if (click[s] && (level[next] <= level[s] - CLICK_DIES_DB || tone[next])) {
                return true;
            }
        }
        return false;
    }

    void flush(long now) {
        if (pending) {
            report(now);
        }
    }

    private static double quietBelow(double floor) {
        return Math.max(Math.min(floor - BELOW_FLOOR_DB, CEILING_DBM0), ALWAYS_QUIET_DBM0);
    }

    private void report(long now) {
        pending = false;
        boolean clickAfter = clickAfter(now);
        double depth = pendDeepLine ? 0 : clamp((pendDepth - DEPTH_FROM_DB) / (DEPTH_FULL_DB - DEPTH_FROM_DB));
        double c = BASE + DEPTH * depth + (pendClickBefore ? CLICK_BEFORE : 0) + (clickAfter ? CLICK_AFTER : 0);
        long startMs = pendStart * MILLIS;
        long endMs = pendEnd * MILLIS;
        long ms = endMs - startMs;
        if (ms < NOMINAL_MIN_MS || ms > NOMINAL_MAX_MS) {
            c *= 0.8;
        }
        if (pendMostlyLost || c < REPORT_MIN) {
            return;
        }
        String clicks = pendClickBefore && clickAfter ? "clicks at both ends"
                : pendClickBefore ? "click before" : clickAfter ? "click after" : "no clicks";
        String detail = String.format(Locale.ROOT, "%d ms gap %.0f dB under the line%s, %s", ms, pendDepth,
                pendDeepLine ? " (a line whose pauses fall as deep)" : "", clicks);
        sink.sign(Sign.Kind.FLASH, startMs, endMs, Math.min(1.0, c), detail);
    }

    private static double clamp(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
