package io.kinline.tests.rtp;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts received audio into bursts of sound and the quiet between them, and tells whether a burst is a
 * given dual tone: enough to check a call-progress tone (ringback 440+480 Hz, 2 s on, 4 s off) as the
 * phone heard it.
 *
 * <pre>{@code
 * short[] heard = rtp.receivedPcm();
 * for (ToneCadence.Burst b : ToneCadence.bursts(heard, 64, 10)) {
 *     boolean ringback = ToneCadence.isDualTone(heard, b, 440, 480);
 * }
 * }</pre>
 *
 * Positions are in samples of the analysed PCM (8 kHz). {@link RtpPeer#receivedPcm()} joins frames in
 * arrival order, so a pause in which nothing was sent takes no room: quiet that was sent as silent
 * packets (the off part of a cadence) does.
 */
public final class ToneCadence {

    /** Peak amplitude of a 0 dBm0 sine in 16-bit PCM: G.711 full scale (32124) is +3.17 dBm0. */
    public static final double DBM0_PEAK = 22300.0;

    private static final int RATE = AudioSource.RATE;

    private ToneCadence() {
    }

    /** A stretch of sound, {@code [start, end)} in samples. */
    public record Burst(int start, int end) {
        public double startMs() {
            return start * 1000.0 / RATE;
        }

        public double endMs() {
            return end * 1000.0 / RATE;
        }

        public double lengthMs() {
            return (end - start) * 1000.0 / RATE;
        }
    }

    /**
     * The bursts of sound: samples of magnitude {@code threshold} or more, a quieter stretch shorter than
     * {@code bridgeMs} counting as part of the burst (a tone crosses zero, two tones beat).
     */
    public static List<Burst> bursts(short[] pcm, int threshold, double bridgeMs) {
        int bridge = (int) Math.round(bridgeMs * RATE / 1000);
        List<Burst> out = new ArrayList<>();
        int start = -1;
        int lastLoud = -1;
        for (int i = 0; i < pcm.length; i++) {
            if (Math.abs(pcm[i]) >= threshold) {
                if (start >= 0 && i - lastLoud > bridge) {
                    out.add(new Burst(start, lastLoud + 1));
                    start = -1;
                }
                if (start < 0) {
                    start = i;
                }
                lastLoud = i;
            }
        }
        if (start >= 0) {
            out.add(new Burst(start, lastLoud + 1));
        }
        return out;
    }

    /**
     * Whether the burst is the dual tone {@code f1 + f2}: measured over its middle (50 ms trimmed at each
     * end, at least 200 ms left), both frequencies within 3 dB of each other and together at least 90 %
     * of the energy. Speech, a single sine or another pair of the tone plan fails.
     */
    public static boolean isDualTone(short[] pcm, Burst b, double f1, double f2) {
        int trim = RATE / 20;
        int len = b.end() - b.start() - 2 * trim;
        if (len < RATE / 5) {
            return false;
        }
        int off = b.start() + trim;
        double p1 = Goertzel.power(pcm, off, len, f1, RATE);
        double p2 = Goertzel.power(pcm, off, len, f2, RATE);
        double total = Goertzel.meanSquare(pcm, off, len);
        // A sine of amplitude A: Goertzel power A²/4, mean square A²/2.
        return total > 0 && 2 * (p1 + p2) >= 0.9 * total && p1 <= 2 * p2 && p2 <= 2 * p1;
    }

    /**
     * The level of {@code freq} in dBm0 over the middle second of the burst (or the burst less 50 ms at
     * each end if shorter).
     */
    public static double levelDbm0(short[] pcm, Burst b, double freq) {
        int len = Math.min(RATE, b.end() - b.start() - RATE / 10);
        int off = b.start() + (b.end() - b.start() - len) / 2;
        double amplitude = 2 * Math.sqrt(Goertzel.power(pcm, off, len, freq, RATE));
        return 20 * Math.log10(amplitude / DBM0_PEAK);
    }
}
