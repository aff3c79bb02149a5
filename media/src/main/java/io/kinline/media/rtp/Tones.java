package io.kinline.media.rtp;

import io.kinline.media.tones.Sines;

/** Synthesised audio: DTMF dual tones for in-band sending. */
public final class Tones {

    private static final int[] LOW = {697, 770, 852, 941};
    private static final int[] HIGH = {1209, 1336, 1477, 1633};
    private static final String KEYS = "123A456B789C*0#D";

    private Tones() {
    }

    /**
     * A DTMF digit as 8 kHz PCM: {@code toneMillis} of the dual tone (each component a 7000 peak
     * sine, -10 dBm0 against {@link io.kinline.media.codec.G711#DBM0_PEAK}, well inside what a Q.24
     * receiver accepts) followed by {@code gapMillis} of silence so that repeated digits separate.
     *
     * @return null for a symbol that is not a DTMF key
     */
    public static short[] dtmf(char digit, int toneMillis, int gapMillis) {
        int k = KEYS.indexOf(Character.toUpperCase(digit));
        if (k < 0) {
            return null;
        }
        int n = toneMillis * 8;
        short[] out = new short[n + gapMillis * 8];
        Sines.write(out, n, 7000, 0, LOW[k / 4], HIGH[k % 4]); // no fade: the whole length counts toward a receiver's minimum tone duration
        return out;
    }
}
