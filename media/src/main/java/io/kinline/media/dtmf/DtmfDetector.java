package io.kinline.media.dtmf;

import io.kinline.media.codec.G711;

/**
 * In-band DTMF detector for 8 kHz 16-bit PCM, designed to the ITU-T Q.24 receiver limits.
 *
 * <h2>Design (see docs/DTMF.md for the reasoning and the measured test grid)</h2>
 * <ul>
 *   <li><b>Analysis window.</b> 160 samples (20 ms) with a Hann window, evaluated every 40 samples
 *       (5 ms hop). 20 ms gives 50 Hz bins: the Hann main lobe just reaches the neighbouring row
 *       tone (73 Hz away) at its first null region, so each group has a clear single peak, and the
 *       Hann side lobes make the other group (268 Hz or more away) invisible. The 5 ms hop gives the
 *       time resolution the duration and pause rules need.</li>
 *   <li><b>Frequency check.</b> Q.24 wants ±1.5% accepted and ±3.5% rejected, which no energy-only
 *       Goertzel bank of a usable length can separate (the bin is far wider than 3.5% of 697 Hz).
 *       So the detector measures the frequency: the phase of the Goertzel output at the nominal
 *       frequency advances by 2π·Δf·hop/8000 between consecutive windows. With a 40-sample hop this
 *       is unambiguous for |Δf| &lt; 100 Hz, more than 3.5% of 1633 Hz. A tone is accepted within
 *       ±{@value #FREQ_TOL_PERCENT}% (midway between the limits).</li>
 *   <li><b>Twist, level, energy share.</b> Tone powers are corrected for the Hann scalloping loss at
 *       the measured offset, then checked: normal twist (high group weaker) up to {@value #NORMAL_TWIST_DB} dB,
 *       reverse twist up to {@value #REVERSE_TWIST_DB} dB (limits are Q.24's 8/4 dB plus 1 dB for
 *       measurement error, so 10/6 dB are rejected); each tone at least {@value #MIN_LEVEL_DBM0} dBm0; the two tones
 *       at least {@value #MIN_TONE_SHARE} of the window's power (speech and noise spread energy elsewhere);
 *       the strongest tone of each group {@value #PEAK_MARGIN_DB} dB above the other three; no strong
 *       second harmonic (voiced speech is rich in harmonics, DTMF generators are not).</li>
 *   <li><b>Timing.</b> A tone needs at least {@value #MIN_VALID_WINDOWS} consecutive valid windows
 *       (about 35 ms of steady dual tone), then its duration is measured on 5 ms sub-block energies
 *       (sub-blocks at least half as loud as the tone) and must be at least {@value #MIN_DURATION_MS} ms
 *       (Q.24: 40 ms accepted, 20-25 ms rejected). A break in the same tone shorter than
 *       {@value #MIN_PAUSE_MS} ms is bridged; a longer one splits it into two digits (Q.24: 40 ms pause
 *       separates). The digit is reported once, when the tone ends.</li>
 * </ul>
 *
 * <p>Not thread safe; one instance per audio stream. Allocation free after construction.
 */
public final class DtmfDetector {

    /** Receives detected digits. Sample numbers count from the first sample given to {@link #process}. */
    public interface Listener {
        void onDigit(char digit, long startSample, long endSample);
    }

    static final int RATE = 8000;
    static final int N = 160;
    static final int HOP = 40;
    static final int SUBS_PER_WINDOW = N / HOP;

    static final double FREQ_TOL_PERCENT = 2.5;
    static final double NORMAL_TWIST_DB = 9.0;
    static final double REVERSE_TWIST_DB = 5.0;
    static final double MIN_LEVEL_DBM0 = -40.0;
    static final double MIN_TONE_SHARE = 0.9;
    static final double PEAK_MARGIN_DB = 6.0;
    /** The second harmonic must be at least this much below its fundamental. */
    static final double HARMONIC_MARGIN_DB = 10.0;
    static final int MIN_VALID_WINDOWS = 3;
    static final int MIN_DURATION_MS = 33;
    static final int MIN_PAUSE_MS = 27;

    /** Peak amplitude of a 0 dBm0 sine in 16-bit linear PCM (G.711: +3.17 dBm0 is full scale). */
    static final double DBM0_AMPLITUDE = G711.DBM0_PEAK;

    private static final double[] FREQS = {697, 770, 852, 941, 1209, 1336, 1477, 1633};
    private static final char[][] DIGITS = {
            {'1', '2', '3', 'A'},
            {'4', '5', '6', 'B'},
            {'7', '8', '9', 'C'},
            {'*', '0', '#', 'D'}};

    private static final double FREQ_TOL = FREQ_TOL_PERCENT / 100.0;
    private static final double NORMAL_TWIST = Math.pow(10, NORMAL_TWIST_DB / 10);
    private static final double REVERSE_TWIST = Math.pow(10, REVERSE_TWIST_DB / 10);
    private static final double PEAK_MARGIN = Math.pow(10, PEAK_MARGIN_DB / 10);
    private static final double HARMONIC_MARGIN = Math.pow(10, HARMONIC_MARGIN_DB / 10);
    /** Minimum power (mean square) of one tone. */
    private static final double MIN_TONE_POWER = sq(DBM0_AMPLITUDE * Math.pow(10, MIN_LEVEL_DBM0 / 20)) / 2;
    private static final int MIN_DURATION = MIN_DURATION_MS * RATE / 1000;
    private static final int MIN_PAUSE = MIN_PAUSE_MS * RATE / 1000;
    /** Invalid windows after which a tone is over: longer than any bridgeable break can cause. */
    private static final int END_WINDOWS = (MIN_PAUSE + N) / HOP + 1;

    private static final float[] WINDOW = new float[N];
    private static final double WINDOW_POWER; // sum of w^2
    private static final double[] COEF = new double[8];
    private static final double[] COS = new double[8];
    private static final double[] SIN = new double[8];

    static {
        double s2 = 0;
        for (int i = 0; i < N; i++) {
            WINDOW[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / N));
            s2 += WINDOW[i] * WINDOW[i];
        }
        WINDOW_POWER = s2;
        for (int i = 0; i < 8; i++) {
            double w = 2 * Math.PI * FREQS[i] / RATE;
            COS[i] = Math.cos(w);
            SIN[i] = Math.sin(w);
            COEF[i] = 2 * COS[i];
        }
    }

    private final Listener listener;

    // Input assembly.
    private final short[] history = new short[N];
    private int hopFill;
    private final short[] hop = new short[HOP];
    private long subBlocks; // sub-blocks (hops) completed
    private final double[] subEnergy = new double[256]; // ring of sub-block mean-square energies
    private final float[] windowed = new float[N];

    // Per-window analysis output.
    private final double[] re = new double[8];
    private final double[] im = new double[8];
    private final double[] prevRe = new double[8];
    private final double[] prevIm = new double[8];
    private boolean prevValid;
    private final double[] power = new double[8];
    private double windowTonePower;

    // Tone state machine.
    private char current;            // digit being tracked, 0 if none
    private int validWindows;        // valid windows of the current tone segment
    private long lastValidWindow;    // sub-block index of the last valid window
    private double tonePowerRef;     // (row+col) power, for duration measurement
    private long toneStart;          // first sample of the current tone
    private boolean segmentOk;       // current tone has met MIN_VALID_WINDOWS at some point
    private long pauseStart;         // output of pauseBetween
    private long pauseEnd;

    public DtmfDetector(Listener listener) {
        this.listener = listener;
    }

    /** Total samples consumed so far. */
    public long samples() {
        return subBlocks * HOP + hopFill;
    }

    public void process(short[] pcm, int off, int len) {
        if (off < 0 || len < 0 || off + len > pcm.length) {
            throw new IndexOutOfBoundsException("off " + off + " len " + len + " array " + pcm.length);
        }
        int i = off;
        int endIdx = off + len;
        while (i < endIdx) {
            int n = Math.min(HOP - hopFill, endIdx - i);
            System.arraycopy(pcm, i, hop, hopFill, n);
            hopFill += n;
            i += n;
            if (hopFill == HOP) {
                hopFill = 0;
                onHop();
            }
        }
    }

    /** Ends the stream: reports a tone still sounding (e.g. at the end of a file). */
    public void flush() {
        if (current != 0) {
            finishTone(toneEnd(lastValidWindow));
        }
        prevValid = false;
    }

    // ------------------------------------------------------------------ analysis

    private void onHop() {
        System.arraycopy(history, HOP, history, 0, N - HOP);
        System.arraycopy(hop, 0, history, N - HOP, HOP);
        double e = 0;
        for (int i = 0; i < HOP; i++) {
            e += (double) hop[i] * hop[i];
        }
        subEnergy[(int) (subBlocks & 255)] = e / HOP;
        subBlocks++;
        if (subBlocks < SUBS_PER_WINDOW) {
            return;
        }
        char d = analyze();
        step(d);
    }

    /** Analyzes the window ending with the latest hop; returns the digit it shows, or 0. */
    private char analyze() {
        double total = 0;
        for (int i = 0; i < N; i++) {
            float v = history[i] * WINDOW[i];
            windowed[i] = v;
            total += (double) v * v;
        }
        double totalPower = total / WINDOW_POWER;
        if (totalPower < 2 * MIN_TONE_POWER) {
            prevValid = false; // too quiet for two tones at minimum level: skip the filter bank
            return 0;
        }
        goertzelBank();
        boolean havePrev = prevValid;
        prevValid = true;
        int row = 0;
        int col = 4;
        for (int f = 1; f < 4; f++) {
            if (power[f] > power[row]) {
                row = f;
            }
        }
        for (int f = 5; f < 8; f++) {
            if (power[f] > power[col]) {
                col = f;
            }
        }
        char result = check(row, col, totalPower, havePrev);
        System.arraycopy(re, 0, prevRe, 0, 8);
        System.arraycopy(im, 0, prevIm, 0, 8);
        return result;
    }

    private char check(int row, int col, double totalPower, boolean havePrev) {
        for (int f = 0; f < 4; f++) {
            if (f != row && power[f] * PEAK_MARGIN > power[row]) {
                return 0;
            }
        }
        for (int f = 4; f < 8; f++) {
            if (f != col && power[f] * PEAK_MARGIN > power[col]) {
                return 0;
            }
        }
        if (!havePrev) {
            return 0;
        }
        double dRow = offsetHz(row);
        double dCol = offsetHz(col);
        if (Math.abs(dRow) > FREQ_TOL * FREQS[row] || Math.abs(dCol) > FREQ_TOL * FREQS[col]) {
            return 0;
        }
        double pRow = power[row] / sq(hann(dRow * N / RATE));
        double pCol = power[col] / sq(hann(dCol * N / RATE));
        if (pRow < MIN_TONE_POWER || pCol < MIN_TONE_POWER) {
            return 0;
        }
        if (pRow > pCol * NORMAL_TWIST || pCol > pRow * REVERSE_TWIST) {
            return 0;
        }
        if (pRow + pCol < MIN_TONE_SHARE * totalPower) {
            return 0;
        }
        double fRow = FREQS[row] + dRow;
        double fCol = FREQS[col] + dCol;
        if (powerAt(2 * fCol) * HARMONIC_MARGIN > pCol) {
            return 0;
        }
        // The low group's second harmonic (1394-1882 Hz) can sit on top of the high tone; check it
        // only when it is clear of it.
        if (Math.abs(2 * fRow - fCol) > 150 && powerAt(2 * fRow) * HARMONIC_MARGIN > pRow) {
            return 0;
        }
        windowTonePower = pRow + pCol;
        return DIGITS[row][col - 4];
    }

    /**
     * The eight Goertzel filters in one pass. Each filter is a serial dependency chain (latency bound);
     * running all eight side by side lets the CPU overlap them, several times faster than one after
     * the other.
     */
    private void goertzelBank() {
        final double c0 = COEF[0], c1 = COEF[1], c2 = COEF[2], c3 = COEF[3];
        final double c4 = COEF[4], c5 = COEF[5], c6 = COEF[6], c7 = COEF[7];
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0; // s[n-1]
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, b7 = 0; // s[n-2]
        final float[] x = windowed;
        for (int i = 0; i < N; i++) {
            double v = x[i];
            double t0 = v + c0 * a0 - b0;
            double t1 = v + c1 * a1 - b1;
            double t2 = v + c2 * a2 - b2;
            double t3 = v + c3 * a3 - b3;
            double t4 = v + c4 * a4 - b4;
            double t5 = v + c5 * a5 - b5;
            double t6 = v + c6 * a6 - b6;
            double t7 = v + c7 * a7 - b7;
            b0 = a0; b1 = a1; b2 = a2; b3 = a3; b4 = a4; b5 = a5; b6 = a6; b7 = a7;
            a0 = t0; a1 = t1; a2 = t2; a3 = t3; a4 = t4; a5 = t5; a6 = t6; a7 = t7;
        }
        output(0, a0, b0);
        output(1, a1, b1);
        output(2, a2, b2);
        output(3, a3, b3);
        output(4, a4, b4);
        output(5, a5, b5);
        output(6, a6, b6);
        output(7, a7, b7);
    }

    private void output(int f, double s1, double s2) {
        // y = s1 - e^{-jw} s2 = e^{jw(N-1)} X(w); the constant factor cancels in window-to-window ratios.
        re[f] = s1 - COS[f] * s2;
        im[f] = SIN[f] * s2;
        power[f] = 8 * (re[f] * re[f] + im[f] * im[f]) / ((double) N * N);
    }

    /** Power (mean square) of a sinusoid at {@code hz} in the current window. */
    private double powerAt(double hz) {
        if (hz >= RATE / 2.0) {
            return 0;
        }
        double w = 2 * Math.PI * hz / RATE;
        double c = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < N; i++) {
            double s = windowed[i] + c * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return 8 * (s1 * s1 + s2 * s2 - c * s1 * s2) / ((double) N * N);
    }

    /** Frequency offset of the tone near FREQS[f], from the phase advance since the previous window. */
    private double offsetHz(int f) {
        // angle(y_k * conj(y_{k-1})) = w_true * HOP (mod 2π)
        double r = re[f] * prevRe[f] + im[f] * prevIm[f];
        double i = im[f] * prevRe[f] - re[f] * prevIm[f];
        double advance = Math.atan2(i, r);
        double nominal = 2 * Math.PI * FREQS[f] * HOP / RATE;
        double d = advance - nominal;
        d -= 2 * Math.PI * Math.rint(d / (2 * Math.PI));
        return d * RATE / (2 * Math.PI * HOP);
    }

    /** Hann window amplitude response (normalized to 1 at 0) at an offset of {@code bins}. */
    static double hann(double bins) {
        double x = Math.abs(bins);
        if (x < 1e-9) {
            return 1;
        }
        if (Math.abs(x - 1) < 1e-6) {
            return 0.5;
        }
        return Math.sin(Math.PI * x) / (Math.PI * x) / (1 - x * x);
    }

    private static double sq(double v) {
        return v * v;
    }

    // ------------------------------------------------------------------ state machine

    /** Window index k = sub-block index of its last hop; the window spans samples [(k-3)*HOP, (k+1)*HOP). */
    private void step(char d) {
        long k = subBlocks - 1;
        if (d != 0 && d == current) {
            long gapWindows = k - lastValidWindow - 1;
            if (gapWindows > 0) {
                // The same tone is back after a dip: bridge it unless the dip was a real pause.
                pauseBetween(lastValidWindow, k);
                if (pauseEnd - pauseStart >= MIN_PAUSE) {
                    long resume = pauseEnd;
                    finishTone(pauseStart);
                    startTone(d, k, resume);
                    return;
                }
            }
            validWindows++;
            lastValidWindow = k;
            tonePowerRef = Math.max(tonePowerRef, windowTonePower);
            if (validWindows >= MIN_VALID_WINDOWS) {
                segmentOk = true;
            }
            return;
        }
        if (d != 0) {
            if (current != 0) {
                finishTone(toneEnd(lastValidWindow));
            }
            startTone(d, k, -1);
            return;
        }
        if (current != 0 && k - lastValidWindow >= END_WINDOWS) {
            finishTone(toneEnd(lastValidWindow));
        }
    }

    private void startTone(char d, long k, long start) {
        current = d;
        validWindows = 1;
        segmentOk = false;
        lastValidWindow = k;
        tonePowerRef = windowTonePower;
        toneStart = start >= 0 ? start : toneStart(k);
    }

    private double subEnergyAt(long j) {
        return subEnergy[(int) (j & 255)];
    }

    private boolean loud(long j) {
        return subEnergyAt(j) >= 0.5 * tonePowerRef;
    }

    /** First sample of the tone whose first valid window is k: walk back over loud sub-blocks. */
    private long toneStart(long k) {
        long center = k - 2; // window k spans sub-blocks k-3..k; its centre is at the start of k-1
        long j = center;
        long limit = Math.max(0, subBlocks - 250);
        while (j - 1 >= limit && loud(j - 1)) {
            j--;
        }
        return j * HOP;
    }

    /** End sample of a tone whose last valid window is k: walk forward over loud sub-blocks. */
    private long toneEnd(long k) {
        long j = k - 1;
        while (j + 1 < subBlocks && loud(j + 1)) {
            j++;
        }
        return (j + 1) * HOP;
    }

    /** Sets {@link #pauseStart}/{@link #pauseEnd} to the quiet stretch between two valid windows, in samples. */
    private void pauseBetween(long a, long b) {
        long j = a - 1;
        while (j + 1 < b - 2 && loud(j + 1)) {
            j++;
        }
        long start = (j + 1) * HOP;
        long m = b - 2;
        while (m - 1 > j && loud(m - 1)) {
            m--;
        }
        pauseStart = start;
        pauseEnd = Math.max(start, m * HOP);
    }

    private void finishTone(long end) {
        char d = current;
        long start = toneStart;
        boolean ok = segmentOk;
        current = 0;
        segmentOk = false;
        validWindows = 0;
        if (ok && end - start >= MIN_DURATION) {
            listener.onDigit(d, start, end);
        }
    }
}
