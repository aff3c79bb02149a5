package io.kinline.media.opus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The polyphase resampler's passband and stopband, measured with tones. */
class ResamplerTest {

    private static final double A = 10_000;

    /** Decimates {@code hz} at 48 kHz for half a second, in 20 ms calls; returns the 8 kHz output. */
    private static short[] down(double hz) {
        Resampler.Down d = new Resampler.Down();
        short[] in = Tone.sines(48_000, 24_000, 0, A, hz);
        short[] out = new short[4000];
        for (int i = 0; i < 25; i++) {
            d.process(in, i * 960, 960, out, i * 160);
        }
        return out;
    }

    @Test
    void decimationPassesTheTelephoneBandFlat() {
        for (double hz : new double[] {100, 300, 1000, 2000, 3000, 3400, 3500}) {
            short[] out = down(hz);
            double gain = Tone.db(Tone.rms(out, 400, 4000) * Math.sqrt(2) / A);
            assertEquals(0, gain, 0.1, hz + " Hz: " + gain + " dB");
        }
    }

    @Test
    void decimationStopsWhatWouldAliasIntoTheCall() {
        for (double hz : new double[] {4400, 5000, 6000, 8000, 12_000, 20_000, 23_000}) {
            short[] out = down(hz);
            double level = Tone.db(Tone.rms(out, 400, 4000) * Math.sqrt(2) / A);
            assertTrue(level < -55, hz + " Hz leaks through at " + level + " dB");
        }
    }

    @Test
    void interpolationIsFlatAndLeavesNoImages() {
        for (double hz : new double[] {300, 1000, 2500, 3400}) {
            Resampler.Up u = new Resampler.Up();
            short[] in = Tone.sines(8000, 4000, 0, A, hz);
            short[] out = new short[24_000];
            for (int i = 0; i < 25; i++) {
                u.process(in, i * 160, 160, out, i * 960);
            }
            double wanted = Tone.amplitudeAt(out, 2400, 24_000, 48_000, hz);
            assertEquals(0, Tone.db(wanted / A), 0.1, hz + " Hz");
            // The images of an 8 kHz signal sit at k*8000 +- f; each must be gone.
            for (int k = 1; k <= 3; k++) {
                for (double image : new double[] {k * 8000 - hz, k * 8000 + hz}) {
                    double level = Tone.db(Tone.amplitudeAt(out, 2400, 24_000, 48_000, image) / A);
                    assertTrue(level < -55, "image at " + image + " Hz of " + hz + " Hz: " + level + " dB");
                }
            }
        }
    }

    @Test
    void callsJoinWithoutASeam() {
        short[] in = Tone.sines(48_000, 5760, 0, A, 1234, 4100);
        short[] whole = new short[960];
        new Resampler.Down().process(in, 0, 5760, whole, 0);
        short[] pieces = new short[960];
        Resampler.Down d = new Resampler.Down();
        int o = 0;
        for (int chunk : new int[] {120, 960, 480, 2880, 1320}) {
            d.process(in, o * 6, chunk, pieces, o);
            o += chunk / 6;
        }
        assertEquals(5760, o * 6);
        assertArrayEquals(whole, pieces);
    }

    @Test
    void theFilterIsLinearPhaseWithUnityGain() {
        float sum = 0;
        for (int i = 0; i < Resampler.TAPS; i++) {
            sum += Resampler.H[i];
            assertEquals(Resampler.H[i], Resampler.H[Resampler.TAPS - 1 - i], 1e-7, "symmetric tap " + i);
        }
        assertEquals(1, sum, 1e-5);
    }
}
