package io.kinline.tests.threeway;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The ordinary call both positives and negatives are built on: the called party and the inmate taking
 * turns (the inmate heard only as echo on this side), short gaps, now and then a long silence; and the
 * primitives the scenarios place into it.
 */
final class Conversation {

    final SplittableRandom r;
    final CallTrack track;
    final Line line;
    final SpeechPool pool;
    final SpeechPool.Speaker called;
    final SpeechPool.Speaker inmate;

    Conversation(SplittableRandom r, SpeechPool pool, Line line, double seconds) {
        this.r = r;
        this.pool = pool;
        this.line = line;
        this.track = new CallTrack(Dsp.samples(seconds));
        this.called = pool.pick(r);
        this.inmate = pool.pickOther(r, called);
    }

    int length() {
        return track.length();
    }

    static int at(double seconds) {
        return Dsp.samples(seconds);
    }

    /** Turns of talk from {@code from} to {@code to} (samples); returns {@code to}. */
    int talk(int from, int to) {
        int t = from;
        while (t < to) {
            double x = r.nextDouble();
            if (x < 0.45) {
                int turns = 1 + r.nextInt(3);
                for (int i = 0; i < turns && t < to; i++) {
                    t = say(t, to) + at(Dsp.uniform(r, 0.15, 0.9));
                }
            } else if (x < 0.92) {
                int turns = 1 + r.nextInt(3);
                for (int i = 0; i < turns && t < to; i++) {
                    t = echo(inmate.pick(r), t, to) + at(Dsp.uniform(r, 0.15, 0.9));
                }
            } else {
                t += at(Dsp.uniform(r, 3, 20));
            }
            t += at(Dsp.uniform(r, 0.2, 1.5));
        }
        return to;
    }

    /** One utterance of the called party at {@code at}, cut at {@code limit}; returns its end. */
    int say(int at, int limit) {
        return place(track.voice, called.pick(r), at, limit, line.speechDbm0 + Dsp.uniform(r, -3, 3));
    }

    /** The inmate's voice as it comes back from the called party's line (hybrid or acoustic echo). */
    int echo(float[] utterance, int at, int limit) {
        return place(track.ambient, utterance, at, limit, -18 - line.echoLossDb + Dsp.uniform(r, -3, 3));
    }

    static int place(float[] dst, float[] utterance, int at, int limit, double dbm0) {
        int n = Math.max(0, Math.min(utterance.length, Math.min(limit, dst.length) - at));
        double g = Dsp.rms(dbm0);
        for (int i = 0; i < n; i++) {
            dst[at + i] += (float) (utterance[i] * g);
        }
        return at + n;
    }

    /**
     * A hook flash at {@code at}: the line on hook for {@code ms}, with a click as the hook opens and
     * as it closes if asked. Returns the sample where the line is back.
     */
    int flash(int at, double ms, boolean clickBefore, boolean clickAfter) {
        int end = at + at(ms / 1000);
        track.hold(at, end);
        if (clickBefore) {
            Dsp.mix(track.clicks, at - at(0.002), Sounds.click(r, Dsp.uniform(r, -24, -4)), 1);
        }
        if (clickAfter) {
            Dsp.mix(track.clicks, end, Sounds.click(r, Dsp.uniform(r, -24, -4)), 1);
        }
        return end;
    }

    /** Keys pressed on the called party's phone; returns the end of the last one. */
    int keys(int at, String digits, double dbm0, double minOn, double maxOn, double minOff, double maxOff) {
        double twist = Dsp.uniform(r, -2, 4);
        int t = at;
        for (char d : digits.toCharArray()) {
            float[] tone = Sounds.dtmf(d, Dsp.uniform(r, minOn, maxOn), dbm0 + Dsp.uniform(r, -1, 1), twist);
            Dsp.mix(track.voice, t, tone, 1);
            t += tone.length + at(Dsp.uniform(r, minOff, maxOff));
        }
        return t;
    }

    /** A North American telephone number as dialled: 7, 10 (area code) or 11 (1 + area code) digits. */
    String phoneNumber() {
        int len = switch (r.nextInt(10)) {
            case 0, 1, 2 -> 7;
            case 3, 4, 5, 6, 7 -> 10;
            default -> 11;
        };
        StringBuilder s = new StringBuilder(len == 11 ? "1" : "");
        int areaStart = s.length();
        while (s.length() < len) {
            int pos = s.length();
            boolean leading = pos == areaStart || pos == len - 7; // NPA and NXX start with 2-9
            s.append(leading ? (char) ('2' + r.nextInt(8)) : (char) ('0' + r.nextInt(10)));
        }
        return s.toString();
    }

    /** Adds {@code sound} into the network path (past the called line). */
    void network(int at, float[] sound) {
        Dsp.mix(track.network, at, sound, 1);
    }

    /** The third party of a three-way: another voice, on another line, through the network. */
    int thirdParty(SpeechPool.Speaker who, Line theirs, int at, int limit, double dbm0) {
        float[] u = theirs.colour(who.pick(r), dbm0 + Dsp.uniform(r, -2, 2), r);
        int n = Math.max(0, Math.min(u.length, limit - at));
        Dsp.mix(track.network, at, n == u.length ? u : java.util.Arrays.copyOf(u, n), 1);
        return at + n;
    }

    /** A three-way conversation: the called party, the third party and the inmate's echo taking turns. */
    int talkThreeWay(SpeechPool.Speaker third, Line theirs, double thirdDbm0, int from, int to) {
        int t = from;
        while (t < to) {
            double x = r.nextDouble();
            if (x < 0.4) {
                t = thirdParty(third, theirs, t, to, thirdDbm0);
            } else if (x < 0.7) {
                t = say(t, to);
            } else {
                t = echo(inmate.pick(r), t, to);
            }
            t += at(Dsp.uniform(r, 0.2, 1.2));
        }
        return to;
    }

    List<SpeechPool.Speaker> speakers() {
        return pool.speakers();
    }
}
