package io.kinline.media.threeway;

import java.util.Arrays;
import java.util.Random;

/**
 * Builds test audio for the three-way detector at 8 kHz: a background of room noise at a fixed level
 * all through, with tones, clicks, speech-like noise and on-hook gaps (where the background stops)
 * placed over it. Levels in dBm0 (a 0 dBm0 sine peaks at 22300).
 */
public final class Audio {

    private static final String KEYS = "123A456B789C*0#D";
    private static final double[] LOW = {697, 770, 852, 941};
    private static final double[] HIGH = {1209, 1336, 1477, 1633};

    private final Random r;
    private double[] x = new double[0];
    private int len;
    private final double floorDbm0;

    /** {@code floorDbm0}: the room noise between everything else (white, band-limited by nothing). */
    public Audio(long seed, double floorDbm0) {
        this.r = new Random(seed);
        this.floorDbm0 = floorDbm0;
    }

    static double peak(double dbm0) {
        return 22300 * Math.pow(10, dbm0 / 20);
    }

    private int grow(double ms) {
        int n = (int) Math.round(ms * 8);
        int at = len;
        if (len + n > x.length) {
            x = Arrays.copyOf(x, Math.max(x.length * 2, len + n));
        }
        double rms = peak(floorDbm0) / Math.sqrt(2);
        for (int i = at; i < at + n; i++) {
            x[i] = r.nextGaussian() * rms;
        }
        len += n;
        return at;
    }

    public int millis() {
        return len / 8;
    }

    /** Background only. */
    public Audio pause(double ms) {
        grow(ms);
        return this;
    }

    /** Speech-like: noise bursts of 150-400 ms at {@code dbm0}, with short pauses, for {@code ms}. */
    public Audio talk(double ms, double dbm0) {
        int end = len + (int) (ms * 8);
        while (len < end) {
            int at = grow(Math.min(150 + r.nextInt(250), (end - len) / 8.0));
            double rms = peak(dbm0) / Math.sqrt(2);
            double lp = 0;
            for (int i = at; i < len; i++) {
                lp = 0.7 * lp + 0.3 * r.nextGaussian(); // a little low-pass: more like speech than white noise
                x[i] += lp * rms * 2;
            }
            if (len < end) {
                grow(Math.min(60 + r.nextInt(200), (end - len) / 8.0));
            }
        }
        return this;
    }

    /** Sines at {@code dbm0} each, over the background. */
    public Audio tones(double ms, double dbm0, double... hz) {
        int at = grow(ms);
        double a = peak(dbm0);
        for (int i = at; i < len; i++) {
            for (double f : hz) {
                x[i] += a * Math.sin(2 * Math.PI * f * (i - at) / 8000);
            }
        }
        return this;
    }

    /** Tones with speech-like noise at {@code talkDbm0} on top (someone talking over a dial tone). */
    public Audio tonesWithTalk(double ms, double dbm0, double talkDbm0, double... hz) {
        int at = len;
        tones(ms, dbm0, hz);
        double rms = peak(talkDbm0) / Math.sqrt(2);
        double lp = 0;
        for (int i = at; i < len; i++) {
            lp = 0.7 * lp + 0.3 * r.nextGaussian();
            x[i] += lp * rms * 2;
        }
        return this;
    }

    /** Tones switched on and off: {@code cycles} × ({@code onMs} on, {@code offMs} background). */
    public Audio cadence(int cycles, double onMs, double offMs, double dbm0, double... hz) {
        for (int c = 0; c < cycles; c++) {
            tones(onMs, dbm0, hz);
            pause(offMs);
        }
        return this;
    }

    public Audio digits(String keys, double onMs, double offMs, double dbm0) {
        for (char k : keys.toCharArray()) {
            int i = KEYS.indexOf(k);
            tones(onMs, dbm0, LOW[i / 4], HIGH[i % 4]);
            pause(offMs);
        }
        return this;
    }

    /** A hook-switch click: a decaying spike peaking at {@code dbm0}, over the background. */
    public Audio click(double dbm0) {
        int at = grow(5);
        double a = peak(dbm0);
        for (int i = at; i < len; i++) {
            x[i] += a * Math.exp(-(i - at) / 4.0) * (i == at ? 1 : -0.6);
        }
        return this;
    }

    /**
     * An on-hook interval: the background is gone, the line reads the level {@code idleDbm0} (G.711
     * idle: about -66 dBm0), with or without a click as the hook opens and closes.
     */
    public Audio onHook(double ms, double idleDbm0, boolean clickBefore, boolean clickAfter) {
        if (clickBefore) {
            click(-12);
        }
        int n = (int) Math.round(ms * 8);
        int at = len;
        grow(ms);
        double rms = peak(idleDbm0) / Math.sqrt(2);
        for (int i = at; i < at + n; i++) {
            x[i] = r.nextGaussian() * rms;
        }
        if (clickAfter) {
            click(-12);
        }
        return this;
    }

    public short[] pcm() {
        short[] out = new short[len];
        for (int i = 0; i < len; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(x[i])));
        }
        return out;
    }
}
