package io.kinline.tests.threeway;

import java.util.SplittableRandom;

/** The non-speech sounds of the corpus, as float PCM at 8 kHz in 16-bit units. */
final class Sounds {

    private static final String KEYS = "123A456B789C*0#D";
    private static final double[] LOW = {697, 770, 852, 941};
    private static final double[] HIGH = {1209, 1336, 1477, 1633};

    private Sounds() {
    }

    /**
     * A hook-switch click: a sharp transient with a few bounces, in one of three shapes (a spike, a
     * decaying step as a line card's coupling sees it, a short ring), peak around {@code peakDbm0}.
     */
    static float[] click(SplittableRandom r, double peakDbm0) {
        float[] out = new float[Dsp.samples(0.04)];
        int bounces = 1 + r.nextInt(3);
        int at = 0;
        for (int b = 0; b < bounces && at < out.length; b++) {
            double peak = Dsp.sinePeak(peakDbm0 - 6 * b - Dsp.uniform(r, 0, 4)) * (r.nextBoolean() ? 1 : -1);
            int shape = r.nextInt(3);
            double tau = shape == 1 ? Dsp.uniform(r, 8, 30) : Dsp.uniform(r, 1.5, 6); // samples
            double ringHz = Dsp.uniform(r, 900, 2800);
            for (int i = at; i < out.length; i++) {
                double t = i - at;
                double env = Math.exp(-t / tau);
                if (env < 1e-3) {
                    break;
                }
                double v = switch (shape) {
                    case 0 -> t == 0 ? 1 : -0.5 * env; // spike and its recovery
                    case 1 -> env;                      // step through a coupling capacitor
                    default -> env * Math.cos(2 * Math.PI * ringHz * t / Dsp.RATE);
                };
                out[i] += (float) (peak * v);
            }
            at += Dsp.samples(Dsp.uniform(r, 0.004, 0.012));
        }
        return out;
    }

    /** A handset put down or picked up: a low thump with a click on top and some rattle. */
    static float[] knock(SplittableRandom r, double peakDbm0) {
        int n = Dsp.samples(Dsp.uniform(r, 0.08, 0.25));
        float[] out = new float[n];
        double f = Dsp.uniform(r, 90, 250);
        double peak = Dsp.sinePeak(peakDbm0);
        double tau = Dsp.uniform(r, 0.015, 0.05) * Dsp.RATE;
        Dsp.Biquad lp = Dsp.Biquad.lowPass(Dsp.uniform(r, 600, 1800), 0.7);
        for (int i = 0; i < n; i++) {
            double env = Math.exp(-i / tau);
            out[i] = (float) (peak * env * (0.7 * Math.sin(2 * Math.PI * f * i / Dsp.RATE)
                    + 0.3 * lp.step(r.nextGaussian())));
        }
        float[] c = click(r, peakDbm0 - Dsp.uniform(r, 0, 8));
        Dsp.mix(out, 0, c, 1);
        return out;
    }

    /** A sum of sines, each at {@code dbm0} peak-level, faded over 2 ms at both ends. */
    static float[] tones(double seconds, double dbm0, double... hz) {
        int n = Dsp.samples(seconds);
        float[] out = new float[n];
        double a = Dsp.sinePeak(dbm0);
        int ramp = Math.min(16, n / 2);
        for (int i = 0; i < n; i++) {
            double g = i < ramp ? (double) i / ramp : i >= n - ramp ? (double) (n - 1 - i) / ramp : 1;
            double v = 0;
            for (double f : hz) {
                v += Math.sin(2 * Math.PI * f * i / Dsp.RATE);
            }
            out[i] = (float) (a * g * v);
        }
        return out;
    }

    /** One DTMF digit: the low tone at {@code dbm0}, the high tone {@code twistDb} below it. */
    static float[] dtmf(char digit, double seconds, double dbm0, double twistDb) {
        int k = KEYS.indexOf(digit);
        if (k < 0) {
            throw new IllegalArgumentException("not a DTMF key: " + digit);
        }
        float[] low = tones(seconds, dbm0, LOW[k / 4]);
        float[] high = tones(seconds, dbm0 - twistDb, HIGH[k % 4]);
        Dsp.mix(low, 0, high, 1);
        return low;
    }

    /** Dual tone switched on and off: {@code cycles} of on/off (ms), starting with the on part. */
    static float[] cadence(double f1, double f2, double dbm0, int onMs, int offMs, int cycles) {
        float[] on = tones(onMs / 1000.0, dbm0, f1, f2);
        int cycle = Dsp.samples((onMs + offMs) / 1000.0);
        float[] out = new float[cycle * cycles];
        for (int c = 0; c < cycles; c++) {
            Dsp.mix(out, c * cycle, on, 1);
        }
        return out;
    }

    /** A special information tone: three rising segments, each short (274 ms) or long (380 ms). */
    static float[] sit(SplittableRandom r, double dbm0) {
        double[] f = {r.nextBoolean() ? 913.8 : 985.2, r.nextBoolean() ? 1370.6 : 1428.5, 1776.7};
        float[] out = new float[Dsp.samples(1.3)];
        int at = 0;
        for (double hz : f) {
            double ms = r.nextBoolean() ? 0.274 : 0.380;
            float[] seg = tones(ms, dbm0, hz);
            Dsp.mix(out, at, seg, 1);
            at += seg.length;
        }
        float[] trimmed = new float[at];
        System.arraycopy(out, 0, trimmed, 0, at);
        return trimmed;
    }

    /**
     * Music: a chord progression on a synthetic instrument (sine-like pad, bright saw-like, or
     * plucked), a bass line and a noise-burst drum. Chords are drawn from a set that includes F major
     * (F4 349 Hz, A4 440 Hz: the dial tone's two frequencies within 1 Hz) and a bare F4+A4 dyad, the
     * hardest music there is for a dial-tone detector.
     */
    static float[] music(SplittableRandom r, double seconds, double dbm0) {
        int n = Dsp.samples(seconds);
        float[] out = new float[n];
        int timbre = r.nextInt(3);
        double beat = Dsp.uniform(r, 0.35, 0.7);
        int[][] chords = {{53, 57}, {53, 57, 60}, {57, 60, 64}, {55, 59, 62}, {50, 53, 57}, {48, 52, 55}, {52, 55, 59}};
        double amp = Dsp.sinePeak(dbm0) / 2;
        boolean drums = r.nextBoolean();
        int at = 0;
        while (at < n) {
            int[] chord = chords[r.nextInt(chords.length)];
            int len = Dsp.samples(beat * (1 + r.nextInt(4)));
            for (int note : chord) {
                double hz = 440 * Math.pow(2, (note - 69) / 12.0) * (r.nextBoolean() ? 1 : 2);
                addNote(out, at, Math.min(len, n - at), hz, amp / chord.length * 1.5, timbre);
            }
            addNote(out, at, Math.min(len, n - at), 440 * Math.pow(2, (chord[0] - 12 - 69) / 12.0), amp * 0.6, 0);
            if (drums) {
                for (int b = at; b < at + len && b < n; b += Dsp.samples(beat)) {
                    int dl = Math.min(Dsp.samples(0.08), n - b);
                    for (int i = 0; i < dl; i++) {
                        out[b + i] += (float) (amp * 0.8 * Math.exp(-i / 120.0) * r.nextGaussian());
                    }
                }
            }
            at += len;
        }
        return out;
    }

    private static void addNote(float[] out, int at, int len, double hz, double amp, int timbre) {
        int attack = Math.min(len / 4, 80);
        for (int i = 0; i < len; i++) {
            double env = i < attack ? (double) i / attack : timbre == 2 ? Math.exp(-(i - attack) / 2000.0) : 1;
            if (i > len - 80) {
                env *= (len - i) / 80.0;
            }
            double t = 2 * Math.PI * hz * i / Dsp.RATE;
            double v = switch (timbre) {
                case 0 -> Math.sin(t) + 0.08 * Math.sin(2 * t);
                case 1 -> saw(t, hz);
                default -> Math.sin(t) + 0.5 * Math.sin(2 * t) + 0.25 * Math.sin(3 * t);
            };
            out[at + i] += (float) (amp * env * v);
        }
    }

    private static double saw(double t, double hz) {
        double v = 0;
        for (int h = 1; h * hz < 3400; h++) {
            v += Math.sin(h * t) / h;
        }
        return v * 0.6;
    }
}
