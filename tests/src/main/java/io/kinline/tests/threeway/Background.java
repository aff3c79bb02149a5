package io.kinline.tests.threeway;

import java.util.Locale;
import java.util.SplittableRandom;

/** Sounds of the called party's room: a television, music, people talking further off. */
final class Background {

    private Background() {
    }

    /**
     * A television from {@code from} to {@code to}: voices of other speakers and music, through a room
     * (low-pass and two reflections). With {@code phoneScene}, once or twice a character dials a phone
     * on screen: dial tone, digits, ringing.
     */
    static void tv(Conversation c, int from, int to, double dbm0, boolean phoneScene, StringBuilder notes) {
        SplittableRandom r = c.r;
        float[] tv = new float[to - from];
        int t = 0;
        SpeechPool.Speaker a = c.pool.pickOther(r, c.called, c.inmate);
        SpeechPool.Speaker b = c.pool.pickOther(r, c.called, c.inmate, a);
        while (t < tv.length) {
            if (Dsp.chance(r, 0.2)) {
                float[] m = Sounds.music(r, Dsp.uniform(r, 3, 20), dbm0 + Dsp.uniform(r, -3, 3));
                Dsp.mix(tv, t, m, 1);
                t += m.length;
            } else {
                SpeechPool.Speaker s = r.nextBoolean() ? a : b;
                t = Conversation.place(tv, s.pick(r), t, tv.length, dbm0 + Dsp.uniform(r, -4, 4));
            }
            t += Conversation.at(Dsp.uniform(r, 0.1, 1.2));
        }
        if (phoneScene) {
            int scenes = 1 + r.nextInt(2);
            for (int i = 0; i < scenes; i++) {
                int at = r.nextInt(Math.max(1, tv.length - Conversation.at(40)));
                double level = dbm0 + Dsp.uniform(r, 0, 8);
                java.util.Arrays.fill(tv, at, Math.min(tv.length, at + Conversation.at(35)), 0f);
                Dsp.mix(tv, at, Sounds.click(r, level + 6), 1);
                int p = at + Conversation.at(Dsp.uniform(r, 0.2, 0.8));
                float[] dial = Sounds.tones(Dsp.uniform(r, 1, 3), level, 350, 440);
                Dsp.mix(tv, p, dial, 1);
                p += dial.length;
                int digits = 7 + r.nextInt(4);
                for (int d = 0; d < digits; d++) {
                    float[] key = Sounds.dtmf("0123456789".charAt(r.nextInt(10)), Dsp.uniform(r, 0.08, 0.15), level, 2);
                    Dsp.mix(tv, p, key, 1);
                    p += key.length + Conversation.at(Dsp.uniform(r, 0.08, 0.3));
                }
                p += Conversation.at(Dsp.uniform(r, 0.5, 2));
                Dsp.mix(tv, p, Sounds.cadence(440, 480, level - 4, 2000, 4000, 1 + r.nextInt(3)), 1);
                notes.append(String.format(Locale.ROOT, "tv-phone-scene@%.0fs ", (from + at) / 8000.0));
            }
        }
        room(tv, r);
        Dsp.mix(c.track.ambient, from, tv, 1);
        notes.append(String.format(Locale.ROOT, "tv@%.0fdBm0 ", dbm0));
    }

    /** Music playing in the room. */
    static void music(Conversation c, int from, int to, double dbm0) {
        float[] m = Sounds.music(c.r, (to - from) / 8000.0, dbm0);
        room(m, c.r);
        Dsp.mix(c.track.ambient, from, m, 1);
    }

    /** People talking in another part of the room (heard by a handset lying on the table). */
    static void distantVoices(Conversation c, int from, int to, double dbm0) {
        float[] v = new float[to - from];
        int t = 0;
        while (t < v.length) {
            t = Conversation.place(v, c.pool.pick(c.r).pick(c.r), t, v.length, dbm0) + Conversation.at(Dsp.uniform(c.r, 0.5, 4));
        }
        room(v, c.r);
        Dsp.mix(c.track.ambient, from, v, 1);
    }

    /** A room between a loudspeaker and a telephone: high frequencies absorbed, two reflections. */
    private static void room(float[] x, SplittableRandom r) {
        Dsp.Biquad lp = Dsp.Biquad.lowPass(Dsp.uniform(r, 1800, 3000), 0.7);
        lp.apply(x, 0, x.length);
        int d1 = Conversation.at(Dsp.uniform(r, 0.01, 0.03));
        int d2 = Conversation.at(Dsp.uniform(r, 0.04, 0.09));
        float g1 = (float) Dsp.uniform(r, 0.2, 0.4);
        float g2 = (float) Dsp.uniform(r, 0.1, 0.25);
        for (int i = x.length - 1; i >= d2; i--) {
            x[i] += g1 * x[i - d1] + g2 * x[i - d2];
        }
    }
}
