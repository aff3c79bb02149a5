package io.kinline.media.opus;

/** Test signals and their measurement. */
final class Tone {

    private Tone() {
    }

    /** {@code n} samples of sines at {@code hz} (each {@code amplitude}) sampled at {@code rate}, from sample {@code start}. */
    static short[] sines(int rate, int n, long start, double amplitude, double... hz) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double v = 0;
            for (double f : hz) {
                v += amplitude * Math.sin(2 * Math.PI * f * (start + i) / rate);
            }
            s[i] = (short) Math.round(v);
        }
        return s;
    }

    static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Amplitude of the component at {@code hz} (Goertzel-style correlation over the range). */
    static double amplitudeAt(short[] s, int from, int to, int rate, double hz) {
        double c = 0;
        double q = 0;
        for (int i = from; i < to; i++) {
            double ph = 2 * Math.PI * hz * i / rate;
            c += s[i] * Math.cos(ph);
            q += s[i] * Math.sin(ph);
        }
        return 2 * Math.hypot(c, q) / (to - from);
    }

    static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }
}
