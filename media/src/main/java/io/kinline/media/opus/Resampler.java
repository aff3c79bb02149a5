package io.kinline.media.opus;

/**
 * Polyphase FIR resampling between 48 kHz and 8 kHz (a factor of 6), for Opus legs.
 *
 * <p>One linear-phase low-pass serves both directions: 216 taps (36 per phase) at 48 kHz, a
 * windowed sinc with its -6 dB point at 3.9 kHz and a Kaiser window (beta 5.65, about 60 dB of
 * stopband). The passband (to 3.5 kHz, past the telephone band's 3.4 kHz) is flat within 0.05 dB;
 * from 4.3 kHz on, at least 58 dB down, so what a browser sends above 4 kHz does not fold back into
 * the call as aliasing, and interpolation leaves no images of the 8 kHz spectrum above 4 kHz.
 * (ResamplerTest measures both.) Polyphase: decimating computes only every sixth output and
 * interpolating multiplies only the non-zero inputs, 36 multiply-adds per sample at 48 kHz either way.
 *
 * <p>{@link Down} and {@link Up} keep their filter history between calls, so consecutive frames join
 * without a seam. The delay is 107.5 samples at 48 kHz (2.24 ms) each way. Not thread safe.
 */
public final class Resampler {

    public static final int FACTOR = 6;
    static final int TAPS = 216;
    static final int PHASE_TAPS = TAPS / FACTOR;
    /** Most input one call takes: 120 ms at 48 kHz. */
    public static final int MAX_INPUT_48K = 5760;
    static final double CUTOFF_HZ = 3900;
    static final double KAISER_BETA = 5.65;

    /** Taps, summing to 1 (unity gain at DC for decimation). */
    static final float[] H = design();

    private Resampler() {
    }

    static float[] design() {
        double[] h = new double[TAPS];
        double mid = (TAPS - 1) / 2.0;
        double fc = CUTOFF_HZ / 48000.0;
        double sum = 0;
        for (int n = 0; n < TAPS; n++) {
            double t = n - mid;
            double sinc = 2 * fc * (t == 0 ? 1 : Math.sin(2 * Math.PI * fc * t) / (2 * Math.PI * fc * t));
            double r = t / mid;
            h[n] = sinc * bessel0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / bessel0(KAISER_BETA);
            sum += h[n];
        }
        float[] f = new float[TAPS];
        for (int n = 0; n < TAPS; n++) {
            f[n] = (float) (h[n] / sum);
        }
        return f;
    }

    /** The zeroth-order modified Bessel function of the first kind, by its power series. */
    private static double bessel0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 40; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
        }
        return sum;
    }

    static short clamp(float v) {
        int r = Math.round(v);
        return (short) (r > Short.MAX_VALUE ? Short.MAX_VALUE : r < Short.MIN_VALUE ? Short.MIN_VALUE : r);
    }

    /** 48 kHz to 8 kHz: filter, keep every sixth sample. */
    public static final class Down {
        private final float[] buf = new float[TAPS - 1 + MAX_INPUT_48K];

        /**
         * @param n input samples, a multiple of 6 and at most {@link #MAX_INPUT_48K}
         * @return n / 6 output samples written
         */
        public int process(short[] in, int inOff, int n, short[] out, int outOff) {
            if (n % FACTOR != 0 || n > MAX_INPUT_48K) {
                throw new IllegalArgumentException("input must be a multiple of 6, at most 5760: " + n);
            }
            for (int i = 0; i < n; i++) {
                buf[TAPS - 1 + i] = in[inOff + i];
            }
            int outs = n / FACTOR;
            for (int m = 0; m < outs; m++) {
                int newest = TAPS - 1 + m * FACTOR + FACTOR - 1;
                float acc = 0;
                for (int k = 0; k < TAPS; k++) {
                    acc += H[k] * buf[newest - k];
                }
                out[outOff + m] = clamp(acc);
            }
            System.arraycopy(buf, n, buf, 0, TAPS - 1);
            return outs;
        }

        public void reset() {
            java.util.Arrays.fill(buf, 0);
        }
    }

    /** 8 kHz to 48 kHz: each output phase is a 36-tap sub-filter over the 8 kHz input. */
    public static final class Up {
        private final float[] buf = new float[PHASE_TAPS - 1 + MAX_INPUT_48K / FACTOR];

        /**
         * @param n input samples, at most 960
         * @return n * 6 output samples written
         */
        public int process(short[] in, int inOff, int n, short[] out, int outOff) {
            if (n > MAX_INPUT_48K / FACTOR) {
                throw new IllegalArgumentException("at most 960 input samples: " + n);
            }
            for (int i = 0; i < n; i++) {
                buf[PHASE_TAPS - 1 + i] = in[inOff + i];
            }
            for (int m = 0; m < n; m++) {
                int newest = PHASE_TAPS - 1 + m;
                for (int p = 0; p < FACTOR; p++) {
                    float acc = 0;
                    for (int j = 0; j < PHASE_TAPS; j++) {
                        acc += H[j * FACTOR + p] * buf[newest - j];
                    }
                    out[outOff + m * FACTOR + p] = clamp(acc * FACTOR);
                }
            }
            System.arraycopy(buf, n, buf, 0, PHASE_TAPS - 1);
            return n * FACTOR;
        }

        public void reset() {
            java.util.Arrays.fill(buf, 0);
        }
    }
}
