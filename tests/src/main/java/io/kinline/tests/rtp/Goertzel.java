package io.kinline.tests.rtp;

/**
 * Goertzel single-bin power and a small DTMF classifier, to check which tone was heard.
 */
public final class Goertzel {

    /** DTMF row frequencies (Hz). */
    public static final double[] ROWS = {697, 770, 852, 941};
    /** DTMF column frequencies (Hz). */
    public static final double[] COLS = {1209, 1336, 1477, 1633};
    private static final String[] KEYS = {"123A", "456B", "789C", "*0#D"};

    private Goertzel() {
    }

    /** Power of {@code freq} in {@code x[off..off+len)} sampled at {@code rate}, normalised by len². */
    public static double power(short[] x, int off, int len, double freq, int rate) {
        double coeff = 2 * Math.cos(2 * Math.PI * freq / rate);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < len; i++) {
            double s0 = x[off + i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((double) len * len);
    }

    /** Mean square of the block (same scale as {@link #power} × 4 for a pure sine's bin). */
    public static double meanSquare(short[] x, int off, int len) {
        double e = 0;
        for (int i = 0; i < len; i++) {
            e += (double) x[off + i] * x[off + i];
        }
        return len == 0 ? 0 : e / len;
    }

    /** Mean level of the block in dBov (0 dBov = full-scale square wave); -120 for digital silence. */
    public static double levelDbov(short[] x, int off, int len) {
        double ms = meanSquare(x, off, len);
        return ms <= 0 ? -120 : 10 * Math.log10(ms / (32768.0 * 32768.0));
    }

    /** The frequency among {@code candidates} with the most power in the block. */
    public static double strongest(short[] x, int off, int len, int rate, double... candidates) {
        double best = Double.NaN;
        double bestPower = -1;
        for (double f : candidates) {
            double p = power(x, off, len, f, rate);
            if (p > bestPower) {
                bestPower = p;
                best = f;
            }
        }
        return best;
    }

    /**
     * Classifies a block (≥ 205 samples at 8 kHz recommended) as a DTMF key, or returns 0.
     * Requires one dominant row and one dominant column tone that together carry most of the energy.
     */
    public static char dtmf(short[] x, int off, int len, int rate) {
        double total = meanSquare(x, off, len);
        if (total < 1e4) { // below about -50 dBov: nothing there
            return 0;
        }
        int r = argmax(x, off, len, rate, ROWS);
        int c = argmax(x, off, len, rate, COLS);
        double pr = power(x, off, len, ROWS[r], rate);
        double pc = power(x, off, len, COLS[c], rate);
        // A pure sine of amplitude A has mean square A²/2 and Goertzel power A²/4.
        double toneEnergy = 2 * (pr + pc);
        if (toneEnergy < 0.6 * total) {
            return 0;
        }
        // Twist: neither tone more than ~8 dB below the other.
        if (pr < pc / 6.3 || pc < pr / 6.3) {
            return 0;
        }
        for (int i = 0; i < ROWS.length; i++) {
            if (i != r && power(x, off, len, ROWS[i], rate) > pr / 10) {
                return 0;
            }
        }
        for (int i = 0; i < COLS.length; i++) {
            if (i != c && power(x, off, len, COLS[i], rate) > pc / 10) {
                return 0;
            }
        }
        return KEYS[r].charAt(c);
    }

    /**
     * Detects a sequence of DTMF keys in a PCM stream: a key counts once when seen in at least
     * two consecutive 205-sample blocks, and again only after a block without it.
     */
    public static String detectDigits(short[] pcm, int rate) {
        StringBuilder out = new StringBuilder();
        final int block = 205 * rate / 8000;
        char last = 0;
        int run = 0;
        boolean reported = false;
        for (int off = 0; off + block <= pcm.length; off += block) {
            char k = dtmf(pcm, off, block, rate);
            if (k != 0 && k == last) {
                run++;
            } else {
                run = k == 0 ? 0 : 1;
                reported = false;
            }
            last = k;
            if (k != 0 && run >= 2 && !reported) {
                out.append(k);
                reported = true;
            }
        }
        return out.toString();
    }

    /** Row and column frequencies of a DTMF key. */
    public static double[] frequencies(char key) {
        char k = Character.toUpperCase(key);
        for (int r = 0; r < KEYS.length; r++) {
            int c = KEYS[r].indexOf(k);
            if (c >= 0) {
                return new double[] {ROWS[r], COLS[c]};
            }
        }
        throw new IllegalArgumentException("not a DTMF key: " + key);
    }

    private static int argmax(short[] x, int off, int len, int rate, double[] freqs) {
        int best = 0;
        double bestPower = -1;
        for (int i = 0; i < freqs.length; i++) {
            double p = power(x, off, len, freqs[i], rate);
            if (p > bestPower) {
                bestPower = p;
                best = i;
            }
        }
        return best;
    }
}
