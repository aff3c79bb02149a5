package io.kinline.media.threeway;

import io.kinline.media.codec.G711;

/**
 * What the trackers need to know about one 20 ms frame (160 samples at 8 kHz), computed in one or two
 * passes over it: its level, its spectral tilt, whether it holds a click, and the power at the nine
 * call-progress and SIT frequencies. Reused for every frame: nothing is allocated after construction.
 *
 * <h2>The filter bank</h2>
 * Nine Goertzel filters on the un-windowed frame, run side by side in one loop as the DTMF detector's
 * bank is ({@code io.kinline.media.dtmf.DtmfDetector#goertzelBank}): each filter is a serial chain, and
 * interleaving them lets the CPU overlap the chains. A rectangular window (50 Hz bins) is used on
 * purpose: its narrow main lobe keeps 440 and 480 Hz, 40 Hz apart, about 12 dB apart in each other's
 * filter, which a Hann window (±100 Hz main lobe) would not. The leakage that remains is handled by
 * the twist and exclusion checks in {@link ToneTracker}. Quiet frames (below any tone we look for)
 * skip the bank.
 */
final class FrameFeatures {

    static final int SAMPLES = 160;
    static final int MILLIS = 20;

    static final int F350 = 0;
    static final int F440 = 1;
    static final int F480 = 2;
    static final int F620 = 3;
    /** First of the five SIT frequencies (913.8, 985.2, 1370.6, 1428.5, 1776.7 Hz). */
    static final int SIT0 = 4;
    static final double[] FREQS = {350, 440, 480, 620, 913.8, 985.2, 1370.6, 1428.5, 1776.7};

    /** Mean square of a 0 dBm0 sine. */
    static final double DBM0_POWER = G711.DBM0_PEAK * G711.DBM0_PEAK / 2;
    /** Below this frame level no tone we look for can be present (each is at least -40 dBm0). */
    static final double BANK_MIN_DBM0 = -42;
    /** Floor of every level in dBm0: digital silence reads as this rather than minus infinity. */
    static final double FLOOR_DBM0 = -90;

    /**
     * A click: at least {@value #CLICK_CONCENTRATION} of the frame's energy in one 5 ms quarter, a peak
     * {@value #CLICK_CREST_DB} dB above the frame's RMS, and a peak of at least {@value #CLICK_MIN_PEAK}
     * (about -30 dBm0). A hook switch's transient is over in a few milliseconds; speech spreads its
     * energy over the frame (its onsets can pass too, which is why a click only counts at the edge of
     * an on-hook gap).
     */
    static final double CLICK_CONCENTRATION = 0.6;
    static final double CLICK_CREST_DB = 12;
    static final double CLICK_MIN_PEAK = 700;

    private static final double CLICK_CREST = Math.pow(10, CLICK_CREST_DB / 10);
    private static final int QUARTER = SAMPLES / 4;
    private static final double BANK_MIN_POWER = DBM0_POWER * Math.pow(10, BANK_MIN_DBM0 / 10);
    private static final double[] COEF = new double[FREQS.length];

    static {
        for (int i = 0; i < FREQS.length; i++) {
            COEF[i] = 2 * Math.cos(2 * Math.PI * FREQS[i] / 8000);
        }
    }

    /** Mean square of the samples. */
    double power;
    /** Level in dBm0 (at least {@link #FLOOR_DBM0}). */
    double dbm0;
    /** Mean square of the first difference over mean square of the signal, in dB: +3 for white noise, low for hum or speech. */
    double tiltDb;
    /** The frame holds a sharp broadband transient (a hook-switch click, a handset knock). */
    boolean click;
    /** Mean-square power of a sinusoid at each of {@link #FREQS}; zero when the bank was skipped. */
    final double[] tone = new double[FREQS.length];
    /** Whether {@link #tone} was computed. */
    boolean banked;

    private short last;

    /** Analyses {@code x[off..off+160)}. */
    void analyse(short[] x, int off) {
        double e = 0;
        double d = 0;
        double maxQuarter = 0;
        int peak = 0;
        int prev = last;
        for (int q = off; q < off + SAMPLES; q += QUARTER) {
            double eq = 0;
            for (int i = q; i < q + QUARTER; i++) {
                int v = x[i];
                int step = v - prev;
                eq += (double) v * v;
                d += (double) step * step;
                int a = v < 0 ? -v : v;
                if (a > peak) {
                    peak = a;
                }
                prev = v;
            }
            e += eq;
            if (eq > maxQuarter) {
                maxQuarter = eq;
            }
        }
        last = (short) prev;
        power = e / SAMPLES;
        double stepPower = d / SAMPLES;
        dbm0 = dbm0(power);
        tiltDb = power <= 0 || stepPower <= 0 ? 0 : 10 * Math.log10(stepPower / power);
        click = peak >= CLICK_MIN_PEAK && maxQuarter >= CLICK_CONCENTRATION * e
                && (double) peak * peak >= CLICK_CREST * power;
        banked = power >= BANK_MIN_POWER;
        if (banked) {
            bank(x, off);
        } else {
            java.util.Arrays.fill(tone, 0);
        }
    }

    /** A frame of lost audio (no packets): no level, no click, no tones. */
    void lost() {
        power = 0;
        dbm0 = FLOOR_DBM0;
        tiltDb = 0;
        click = false;
        banked = false;
        java.util.Arrays.fill(tone, 0);
        last = 0;
    }

    private void bank(short[] x, int off) {
        final double c0 = COEF[0], c1 = COEF[1], c2 = COEF[2], c3 = COEF[3], c4 = COEF[4];
        final double c5 = COEF[5], c6 = COEF[6], c7 = COEF[7], c8 = COEF[8];
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0; // s[n-1]
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0, b8 = 0; // s[n-2]
        for (int i = off; i < off + SAMPLES; i++) {
            double v = x[i];
            double t0 = v + c0 * a0 - b0;
            double t1 = v + c1 * a1 - b1;
            double t2 = v + c2 * a2 - b2;
            double t3 = v + c3 * a3 - b3;
            double t4 = v + c4 * a4 - b4;
            double t5 = v + c5 * a5 - b5;
            double t6 = v + c6 * a6 - b6;
            double t7 = v + c7 * a7 - b7;
            double t8 = v + c8 * a8 - b8;
            b0 = a0; b1 = a1; b2 = a2; b3 = a3; b4 = a4; b5 = a5; b6 = a6; b7 = a7; b8 = a8;
            a0 = t0; a1 = t1; a2 = t2; a3 = t3; a4 = t4; a5 = t5; a6 = t6; a7 = t7; a8 = t8;
        }
        tone[0] = out(a0, b0, c0);
        tone[1] = out(a1, b1, c1);
        tone[2] = out(a2, b2, c2);
        tone[3] = out(a3, b3, c3);
        tone[4] = out(a4, b4, c4);
        tone[5] = out(a5, b5, c5);
        tone[6] = out(a6, b6, c6);
        tone[7] = out(a7, b7, c7);
        tone[8] = out(a8, b8, c8);
    }

    /** |X|² = s1² + s2² - c·s1·s2; a sinusoid of amplitude A gives |X| = A·N/2, so A²/2 = 2|X|²/N². */
    private static double out(double s1, double s2, double c) {
        return 2 * (s1 * s1 + s2 * s2 - c * s1 * s2) / ((double) SAMPLES * SAMPLES);
    }

    /** dBm0 of a mean-square power. */
    static double dbm0(double power) {
        return power <= 0 ? FLOOR_DBM0 : Math.max(FLOOR_DBM0, 10 * Math.log10(power / DBM0_POWER));
    }
}
