package io.kinline.media.tones;

import io.kinline.media.codec.Codec;

/**
 * Synthesised tones as 8 kHz linear PCM: a sum of sines, faded in and out with a raised cosine so
 * that switching it on or off does not click. For audio built once and cached (beeps, call-progress
 * cycles, DTMF digits to send), never per packet.
 */
public final class Sines {

    private Sines() {
    }

    /**
     * Writes {@code samples} samples of the sum of sines at {@code hz}, each of peak {@code amplitude},
     * into {@code out} from index 0, faded over {@code rampSamples} at each end (at most half the
     * length; 0 for none). The rest of {@code out} is left as it is.
     *
     * @return {@code out}
     */
    public static short[] write(short[] out, int samples, double amplitude, int rampSamples, int... hz) {
        double[] w = new double[hz.length];
        for (int k = 0; k < hz.length; k++) {
            w[k] = 2 * Math.PI * hz[k] / Codec.SAMPLE_RATE;
        }
        int ramp = Math.min(rampSamples, samples / 2);
        for (int i = 0; i < samples; i++) {
            double gain = 1.0;
            int edge = Math.min(i, samples - 1 - i);
            if (edge < ramp) {
                gain = 0.5 - 0.5 * Math.cos(Math.PI * edge / ramp);
            }
            double v = 0;
            for (double wk : w) {
                v += Math.sin(wk * i);
            }
            out[i] = (short) Math.round(amplitude * gain * v);
        }
        return out;
    }
}
