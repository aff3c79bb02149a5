package io.kinline.media.tones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.codec.Codec;
import io.kinline.media.prompt.Prompt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The call-progress tones measured as a listener would: which frequencies, how loud, and the cadence,
 * against the values of the North American precise tone plan (ANSI T1.401 / GR-506) written out here,
 * not read back from the enum.
 */
class CallProgressToneTest {

    /** 0 dBm0 peak in 16-bit PCM: G.711 full scale (32124) is +3.17 dBm0. */
    private static final double DBM0_PEAK = 22300.0;
    private static final int RATE = 8000;
    /** Frequencies of the tone plan: any of them not in a tone must be absent from it. */
    private static final int[] PLAN_HZ = {350, 440, 480, 620};

    /**
     * Amplitude of {@code hz} in {@code x[off, off+len)} by Goertzel. Exact when {@code hz} makes a whole
     * number of periods in the window: the windows below are multiples of 50 ms, which holds for every
     * frequency of the plan (17.5, 22, 24, 31 periods), so the two tones do not leak into each other.
     */
    static double amplitude(short[] x, int off, int len, double hz) {
        double coeff = 2 * Math.cos(2 * Math.PI * hz / RATE);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < len; i++) {
            double s0 = x[off + i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((double) len * len); // A²/4
        return 2 * Math.sqrt(power);
    }

    static double dbm0(double amplitude) {
        return 20 * Math.log10(amplitude / DBM0_PEAK);
    }

    static double meanSquare(short[] x, int off, int len) {
        double e = 0;
        for (int i = off; i < off + len; i++) {
            e += (double) x[i] * x[i];
        }
        return e / len;
    }

    /** Runs of sound (any sample not zero) as {start, end) sample pairs; quiet under 10 ms is bridged. */
    static List<int[]> bursts(short[] pcm) {
        List<int[]> out = new ArrayList<>();
        int start = -1;
        int lastLoud = -1;
        for (int i = 0; i < pcm.length; i++) {
            if (pcm[i] != 0) {
                if (start < 0 || i - lastLoud > RATE / 100) {
                    if (start >= 0) {
                        out.add(new int[] {start, lastLoud + 1});
                    }
                    start = i;
                }
                lastLoud = i;
            }
        }
        if (start >= 0) {
            out.add(new int[] {start, lastLoud + 1});
        }
        return out;
    }

    /**
     * Checks one on part {@code x[on0, on1)}: the two frequencies at the level, nothing else of the plan,
     * and no other energy to speak of.
     */
    static void assertDualTone(short[] x, int on0, int on1, int lowHz, int highHz, double levelDbm0, double toleranceDb,
            String what) {
        int window = (on1 - on0) / 2 / 400 * 400; // the middle, a multiple of 50 ms
        int off = on0 + (on1 - on0 - window) / 2;
        double low = amplitude(x, off, window, lowHz);
        double high = amplitude(x, off, window, highHz);
        assertEquals(levelDbm0, dbm0(low), toleranceDb, what + ": " + lowHz + " Hz level");
        assertEquals(levelDbm0, dbm0(high), toleranceDb, what + ": " + highHz + " Hz level");
        for (int hz : PLAN_HZ) {
            if (hz != lowHz && hz != highHz) {
                assertTrue(amplitude(x, off, window, hz) < low / 100, what + ": no " + hz + " Hz");
            }
        }
        // A sine of amplitude A has mean square A²/2: the two tones are (nearly) all there is.
        double tones = (low * low + high * high) / 2;
        assertTrue(tones > 0.99 * meanSquare(x, off, window), what + ": only the two tones");
    }

    @ParameterizedTest
    @CsvSource({
            "RINGBACK, 440, 480, -19, 2000, 4000",
            "BUSY,     480, 620, -24,  500,  500",
            "REORDER,  480, 620, -24,  250,  250"})
    void oneCycleIsTheDualToneThenSilence(CallProgressTone tone, int lowHz, int highHz, double levelDbm0, int onMs,
            int offMs) {
        short[] pcm = tone.cycle();
        assertEquals((onMs + offMs) * RATE / 1000, pcm.length, "one cycle is " + (onMs + offMs) + " ms");
        assertEquals(onMs + offMs, tone.cycleMillis());

        List<int[]> bursts = bursts(pcm);
        assertEquals(1, bursts.size(), "one on part per cycle");
        int[] on = bursts.get(0);
        // The cycle starts with the on part (the first sample of the fade-in is 0) ...
        assertTrue(on[0] <= 1, "sound from the first sample, not after a pause: " + on[0]);
        // ... which lasts onMs (to a sample or two: the fades end on a zero) ...
        assertEquals(onMs, (on[1] - on[0]) * 1000.0 / RATE, 0.5, "on part in ms");
        // ... and the rest of the cycle is digital silence.
        assertEquals(offMs, (pcm.length - on[1]) * 1000.0 / RATE, 0.5, "off part in ms");
        for (int i = on[1]; i < pcm.length; i++) {
            assertEquals(0, pcm[i], "silence in the off part at sample " + i);
        }
        assertDualTone(pcm, on[0], on[1], lowHz, highHz, levelDbm0, 1.0, tone.key());
    }

    @Test
    void ringbackPcmLevelIsExactAndFadesInAndOut() {
        short[] pcm = CallProgressTone.RINGBACK.cycle();
        // On the linear PCM the level is the plan's to a tenth of a dB, both tones.
        assertDualTone(pcm, 0, 16000, 440, 480, -19, 0.1, "ringback PCM");
        // No click: the on part starts and ends near zero, though the two tones peak near 5000 together.
        assertTrue(Math.abs(pcm[0]) < 50 && Math.abs(pcm[1]) < 50, "fade in");
        assertTrue(Math.abs(pcm[15999]) < 50 && Math.abs(pcm[15998]) < 50, "fade out");
        int peak = 0;
        for (short s : pcm) {
            peak = Math.max(peak, Math.abs(s));
        }
        double perTone = DBM0_PEAK * Math.pow(10, -19 / 20.0); // 2502
        assertTrue(peak > 1.9 * perTone && peak <= 2 * perTone + 1, "the tones add up: peak " + peak);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void ringbackKeepsItsCadenceAndLevelThroughG711(Codec codec) {
        // What the phone decodes is what the prompt library sends: the cycle encoded once per codec.
        Prompt cycle = new Prompt("", "ringback", CallProgressTone.RINGBACK.cycle());
        byte[] encoded = cycle.encoded(codec);
        short[] heard = new short[encoded.length];
        codec.decode(encoded, 0, heard, 0, encoded.length);
        // A-law has no zero code: its silence decodes to ±8. Treat under 16 as quiet.
        short[] squelched = heard.clone();
        for (int i = 0; i < squelched.length; i++) {
            if (Math.abs(squelched[i]) < 16) {
                squelched[i] = 0;
            }
        }
        List<int[]> bursts = bursts(squelched);
        assertEquals(1, bursts.size(), codec + ": one on part");
        assertEquals(2000, (bursts.get(0)[1] - bursts.get(0)[0]) / 8.0, 2, codec + ": on part in ms");
        assertEquals(4000, (heard.length - bursts.get(0)[1]) / 8.0, 2, codec + ": off part in ms");
        assertDualTone(heard, bursts.get(0)[0], bursts.get(0)[1], 440, 480, -19, 1.0, codec + " ringback");
        double offLevel = meanSquare(heard, 16000, 32000);
        assertTrue(offLevel < 100, codec + ": the off part is silence (mean square " + offLevel + ")");
    }
}
