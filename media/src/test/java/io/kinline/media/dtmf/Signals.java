package io.kinline.media.dtmf;

import java.util.Random;

/** Test signal generator: DTMF tones at given offsets, levels and durations, silence and noise. */
final class Signals {

    static final double[] LOW = {697, 770, 852, 941};
    static final double[] HIGH = {1209, 1336, 1477, 1633};
    static final String KEYS = "123A456B789C*0#D";
    /** Peak amplitude of a 0 dBm0 sine in 16-bit PCM (same reference the detector uses). */
    static final double DBM0 = 22300.0;

    private final Random random;
    private short[] buf = new short[8000];
    private int len;

    Signals(long seed) {
        random = new Random(seed);
    }

    static double lowOf(char d) {
        return LOW[KEYS.indexOf(d) / 4];
    }

    static double highOf(char d) {
        return HIGH[KEYS.indexOf(d) % 4];
    }

    Signals tone(char d, double lowFactor, double highFactor, double lowDbm0, double highDbm0, double ms) {
        return dual(lowOf(d) * lowFactor, highOf(d) * highFactor, lowDbm0, highDbm0, ms);
    }

    Signals tone(char d, double ms) {
        return tone(d, 1, 1, -10, -10, ms);
    }

    Signals dual(double f1, double f2, double dbm1, double dbm2, double ms) {
        int n = (int) Math.round(ms * 8);
        double a1 = DBM0 * Math.pow(10, dbm1 / 20);
        double a2 = DBM0 * Math.pow(10, dbm2 / 20);
        double p1 = random.nextDouble() * 2 * Math.PI;
        double p2 = random.nextDouble() * 2 * Math.PI;
        ensure(n);
        for (int i = 0; i < n; i++) {
            double v = a1 * Math.sin(2 * Math.PI * f1 * i / 8000 + p1) + a2 * Math.sin(2 * Math.PI * f2 * i / 8000 + p2);
            buf[len++] = clip(v);
        }
        return this;
    }

    Signals silence(double ms) {
        return samples(new short[(int) Math.round(ms * 8)]);
    }

    Signals samples(short[] s) {
        ensure(s.length);
        System.arraycopy(s, 0, buf, len, s.length);
        len += s.length;
        return this;
    }

    /** Adds white Gaussian noise at the given power relative to {@code refDbm0} (a level in dBm0). */
    Signals noise(double noiseDbm0) {
        double rms = DBM0 / Math.sqrt(2) * Math.pow(10, noiseDbm0 / 20);
        for (int i = 0; i < len; i++) {
            buf[i] = clip(buf[i] + random.nextGaussian() * rms);
        }
        return this;
    }

    short[] build() {
        return java.util.Arrays.copyOf(buf, len);
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    static short clip(double v) {
        return (short) Math.max(-32768, Math.min(32767, Math.round(v)));
    }
}
