package io.kinline.media.rtp;

/** Small signal helpers for tests. */
public final class Dsp {

    private Dsp() {
    }

    /** Goertzel power of {@code hz} in the samples, normalised per sample (amplitude A sine gives about A^2/4). */
    public static double power(short[] s, int off, int len, int hz) {
        double w = 2 * Math.PI * hz / 8000.0;
        double c = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < len; i++) {
            double s0 = s[off + i] + c * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double p = s1 * s1 + s2 * s2 - c * s1 * s2;
        return p / ((double) len * len);
    }

    public static double power(short[] s, int hz) {
        return power(s, 0, s.length, hz);
    }

    public static double rms(short[] s, int off, int len) {
        double sum = 0;
        for (int i = 0; i < len; i++) {
            sum += (double) s[off + i] * s[off + i];
        }
        return Math.sqrt(sum / Math.max(1, len));
    }
}
