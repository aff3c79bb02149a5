package io.kinline.media.tones;

import io.kinline.media.codec.Codec;
import io.kinline.media.codec.G711;

/**
 * The North American call-progress tones the switch can play to a caller, from the precise tone plan
 * (ANSI T1.401, Telcordia GR-506): two frequencies added together, each at a fixed level, switched on
 * and off in a fixed cadence. Facility phones are on the NANP, so these are what an inmate expects to
 * hear; a single sine or a European cadence sounds like a fault.
 *
 * <p>{@link #cycle()} synthesises one cadence cycle, on part first, as 8 kHz PCM. The prompt library
 * turns each tone into a {@code Prompt} once (pre-encoded for every codec) and a playlist repeats that
 * cycle, so playing a tone is a copy like any prompt: no trigonometry per packet on the event loop.
 */
public enum CallProgressTone {

    /** Audible ringing (ringback): 440 + 480 Hz, each -19 dBm0, 2 s on, 4 s off. */
    RINGBACK(440, 480, -19, 2000, 4000),
    /** Line busy: 480 + 620 Hz, each -24 dBm0, 0.5 s on, 0.5 s off. */
    BUSY(480, 620, -24, 500, 500),
    /** Reorder (all trunks busy, "fast busy"): 480 + 620 Hz, each -24 dBm0, 0.25 s on, 0.25 s off. */
    REORDER(480, 620, -24, 250, 250);

    /**
     * Raised-cosine fade at each edge of the on part. Switching a sine on or off abruptly clicks;
     * 5 ms is far shorter than any cadence tolerance, so the on part is still 2 s to the ear and to a
     * cadence detector.
     */
    static final int RAMP_SAMPLES = 40;

    private final int lowHz;
    private final int highHz;
    private final double levelDbm0;
    private final int onMillis;
    private final int offMillis;

    CallProgressTone(int lowHz, int highHz, double levelDbm0, int onMillis, int offMillis) {
        this.lowHz = lowHz;
        this.highHz = highHz;
        this.levelDbm0 = levelDbm0;
        this.onMillis = onMillis;
        this.offMillis = offMillis;
    }

    public int lowHz() {
        return lowHz;
    }

    public int highHz() {
        return highHz;
    }

    /** The level of each of the two frequencies, in dBm0 (0 dBm0 = {@link G711#DBM0_PEAK}). */
    public double levelDbm0() {
        return levelDbm0;
    }

    public int onMillis() {
        return onMillis;
    }

    public int offMillis() {
        return offMillis;
    }

    /** One cadence cycle: on then off. */
    public int cycleMillis() {
        return onMillis + offMillis;
    }

    /**
     * One cadence cycle as 8 kHz linear PCM: {@link #onMillis()} of the two sines (faded in and out over
     * {@value #RAMP_SAMPLES} samples), then {@link #offMillis()} of digital silence. A new array on every
     * call: callers cache it (the prompt library does).
     */
    public short[] cycle() {
        int rate = Codec.SAMPLE_RATE;
        short[] pcm = new short[(onMillis + offMillis) * rate / 1000];
        double amplitude = G711.DBM0_PEAK * Math.pow(10, levelDbm0 / 20);
        return Sines.write(pcm, onMillis * rate / 1000, amplitude, RAMP_SAMPLES, lowHz, highHz); // the off part stays zeros
    }

    /** The name used in logs and playlist listings: {@code ringback}, {@code busy}, {@code reorder}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
