package io.kinline.tests.threeway;

import java.util.SplittableRandom;

/**
 * Small signal-processing helpers for the corpus: levels in dBm0, RBJ biquads, coloured noise. Written
 * for the test equipment on purpose, independent of Kinline's media code, so that a level or filter
 * mistake in one cannot cancel the same mistake in the other.
 */
final class Dsp {

    static final int RATE = 8000;
    /** Peak of a 0 dBm0 sine in 16-bit PCM (G.711 full scale is +3.17 dBm0). */
    static final double DBM0_PEAK = 22300;
    /** RMS of 0 dBm0. */
    static final double DBM0_RMS = DBM0_PEAK / Math.sqrt(2);

    private Dsp() {
    }

    static int samples(double seconds) {
        return (int) Math.round(seconds * RATE);
    }

    /** Peak amplitude of a sine at {@code dbm0}. */
    static double sinePeak(double dbm0) {
        return DBM0_PEAK * Math.pow(10, dbm0 / 20);
    }

    /** RMS amplitude at {@code dbm0}. */
    static double rms(double dbm0) {
        return DBM0_RMS * Math.pow(10, dbm0 / 20);
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    static boolean chance(SplittableRandom r, double p) {
        return r.nextDouble() < p;
    }

    static double gaussian(SplittableRandom r) {
        // Box-Muller; SplittableRandom has nextGaussian only from JDK 17 via RandomGenerator, which it implements.
        return r.nextGaussian();
    }

    /** RMS of {@code x[from..to)}. */
    static double rmsOf(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return to > from ? Math.sqrt(s / (to - from)) : 0;
    }

    /**
     * Active speech level (a simplified ITU-T P.56): the RMS over 20 ms frames within 25 dB of the loudest
     * frame, so pauses inside an utterance do not lower it.
     */
    static double activeRms(float[] x) {
        int frames = x.length / 160;
        double max = 0;
        double[] e = new double[frames];
        for (int f = 0; f < frames; f++) {
            double s = 0;
            for (int i = f * 160; i < f * 160 + 160; i++) {
                s += (double) x[i] * x[i];
            }
            e[f] = s / 160;
            max = Math.max(max, e[f]);
        }
        double sum = 0;
        int n = 0;
        for (double v : e) {
            if (v >= max * 0.00316) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }

    /** A second-order IIR section (RBJ Audio EQ Cookbook), direct form I. */
    static final class Biquad {
        private final double b0, b1, b2, a1, a2;
        private double x1, x2, y1, y2;

        private Biquad(double b0, double b1, double b2, double a0, double a1, double a2) {
            this.b0 = b0 / a0;
            this.b1 = b1 / a0;
            this.b2 = b2 / a0;
            this.a1 = a1 / a0;
            this.a2 = a2 / a0;
        }

        static Biquad lowPass(double hz, double q) {
            double w = 2 * Math.PI * hz / RATE, c = Math.cos(w), alpha = Math.sin(w) / (2 * q);
            return new Biquad((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
        }

        static Biquad highPass(double hz, double q) {
            double w = 2 * Math.PI * hz / RATE, c = Math.cos(w), alpha = Math.sin(w) / (2 * q);
            return new Biquad((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
        }

        /** Peaking EQ: {@code gainDb} at {@code hz}. */
        static Biquad peak(double hz, double q, double gainDb) {
            double a = Math.pow(10, gainDb / 40), w = 2 * Math.PI * hz / RATE, c = Math.cos(w);
            double alpha = Math.sin(w) / (2 * q);
            return new Biquad(1 + alpha * a, -2 * c, 1 - alpha * a, 1 + alpha / a, -2 * c, 1 - alpha / a);
        }

        /** High shelf: {@code gainDb} above about {@code hz}: a line's or a microphone's tilt. */
        static Biquad highShelf(double hz, double gainDb) {
            double a = Math.pow(10, gainDb / 40), w = 2 * Math.PI * hz / RATE, c = Math.cos(w), s = Math.sin(w);
            double alpha = s / 2 * Math.sqrt(2);
            double sq = 2 * Math.sqrt(a) * alpha;
            return new Biquad(a * ((a + 1) + (a - 1) * c + sq), -2 * a * ((a - 1) + (a + 1) * c),
                    a * ((a + 1) + (a - 1) * c - sq), (a + 1) - (a - 1) * c + sq, 2 * ((a - 1) - (a + 1) * c),
                    (a + 1) - (a - 1) * c - sq);
        }

        double step(double x) {
            double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            return y;
        }

        void apply(float[] x, int from, int to) {
            for (int i = from; i < to; i++) {
                x[i] = (float) step(x[i]);
            }
        }
    }

    /** Pink-ish noise (Paul Kellet's economy filter over white noise), about unit RMS. */
    static final class Pink {
        private final SplittableRandom r;
        private double b0, b1, b2;

        Pink(SplittableRandom r) {
            this.r = r;
        }

        double next() {
            double w = r.nextGaussian();
            b0 = 0.99765 * b0 + w * 0.0990460;
            b1 = 0.96300 * b1 + w * 0.2965164;
            b2 = 0.57000 * b2 + w * 1.0526913;
            return (b0 + b1 + b2 + w * 0.1848) / 3.2;
        }
    }

    /** Adds {@code src} × gain into {@code dst} at {@code at}, clipped to {@code dst}'s length. */
    static void mix(float[] dst, int at, float[] src, double gain) {
        int n = Math.min(src.length, dst.length - at);
        for (int i = Math.max(0, -at); i < n; i++) {
            dst[at + i] += (float) (src[i] * gain);
        }
    }
}
