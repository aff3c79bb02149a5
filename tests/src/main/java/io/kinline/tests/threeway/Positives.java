package io.kinline.tests.threeway;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Three-way attempts as the held inmate hears them, in the middle of an ordinary call: the called party
 * flashes (0.3-1.1 s on hook, clicks or not), the recall dial tone comes (stuttered or steady), the
 * called party dials a number, the network rings it, and a new voice on another line joins.
 *
 * <ul>
 *   <li>{@code pos-full}: all of it, tones at ordinary levels;</li>
 *   <li>{@code pos-quiet}: tones at -32 to -24 dBm0 on a noisy loop;</li>
 *   <li>{@code pos-fast}: a short dial tone (0.3-0.7 s), fast dialling, answered at once (no ringback);</li>
 *   <li>{@code pos-abandoned}: the attempt fails (busy, reorder, an intercept with SIT) or the called
 *       party flashes back without dialling, and the call goes on with the same two people;</li>
 *   <li>{@code pos-no-dialtone}: the dial tone does not reach the inmate's side, the digits do.</li>
 * </ul>
 */
final class Positives {

    static final List<String> CATEGORIES = List.of("pos-full", "pos-quiet", "pos-fast", "pos-abandoned", "pos-no-dialtone");
    private static final double[] WEIGHTS = {0.45, 0.15, 0.15, 0.15, 0.10};

    private Positives() {
    }

    static String category(SplittableRandom r) {
        double x = r.nextDouble();
        for (int i = 0; i < WEIGHTS.length; i++) {
            x -= WEIGHTS[i];
            if (x < 0) {
                return CATEGORIES.get(i);
            }
        }
        return CATEGORIES.get(0);
    }

    static Clip make(String id, String category, SplittableRandom r, SpeechPool pool) {
        boolean quiet = category.equals("pos-quiet");
        boolean fast = category.equals("pos-fast");
        boolean abandoned = category.equals("pos-abandoned");
        boolean noDialTone = category.equals("pos-no-dialtone");
        Line line = new Line(r, Line.flashable(r), quiet);
        double pre = Dsp.uniform(r, 15, 60);
        Conversation c = new Conversation(r, pool, line, pre + 150);
        StringBuilder notes = new StringBuilder();
        int t0 = Conversation.at(pre);
        c.talk(0, t0 - Conversation.at(Dsp.uniform(r, 0.3, 1.5)));

        double flashMs = Dsp.uniform(r, 300, 1100);
        boolean clickBefore = Dsp.chance(r, 0.75);
        boolean clickAfter = Dsp.chance(r, 0.7);
        int t = c.flash(t0, flashMs, clickBefore, clickAfter);
        notes.append(String.format(Locale.ROOT, "flash=%.0fms clicks=%s%s ", flashMs, clickBefore ? "b" : "-", clickAfter ? "a" : "-"));

        double dtLevel = quiet ? Dsp.uniform(r, -32, -24) : Dsp.uniform(r, -28, -13);
        double dtSecs = fast ? Dsp.uniform(r, 0.3, 0.7) : Dsp.uniform(r, 0.8, 4);
        boolean stutter = Dsp.chance(r, 0.5);
        t += Conversation.at(Dsp.uniform(r, 0.05, 0.3));
        int toneStart = t;
        if (stutter) {
            if (!noDialTone) {
                c.network(t, Sounds.cadence(350, 440, dtLevel, 100, 100, 3));
            }
            t += Conversation.at(0.6);
        }
        boolean dials = !(abandoned && Dsp.chance(r, 0.4));
        if (!dials) {
            dtSecs = Dsp.uniform(r, 2, 8);
        }
        if (!noDialTone) {
            c.network(t, Sounds.tones(dtSecs, dtLevel, 350, 440));
            notes.append(String.format(Locale.ROOT, "dialtone=%.1fs@%.0fdBm0%s ", dtSecs, dtLevel, stutter ? "+stutter" : ""));
        }
        if (Dsp.chance(r, 0.2)) {
            c.say(toneStart, toneStart + Conversation.at(dtSecs)); // "hang on, I'm calling Mike"
        }
        t += Conversation.at(dtSecs);
        int windowEnd;
        if (!dials) {
            int back = c.flash(t + Conversation.at(Dsp.uniform(r, 0.2, 1.0)), Dsp.uniform(r, 300, 900),
                    Dsp.chance(r, 0.7), Dsp.chance(r, 0.7));
            notes.append("no-digits flash-back ");
            windowEnd = back + Conversation.at(3);
            t = back;
        } else {
            String number = c.phoneNumber();
            double keyLevel = quiet ? Dsp.uniform(r, -26, -18) : Dsp.uniform(r, -20, -6);
            boolean slow = !fast && Dsp.chance(r, 0.15);
            t = fast ? c.keys(t, number, keyLevel, 0.05, 0.09, 0.05, 0.15)
                    : c.keys(t, number, keyLevel, 0.07, 0.15, slow ? 0.3 : 0.1, slow ? 2.0 : 0.5);
            notes.append(String.format(Locale.ROOT, "digits=%d@%.0fdBm0%s ", number.length(), keyLevel, slow ? "-slow" : ""));
            t += Conversation.at(fast ? Dsp.uniform(r, 0.3, 1.5) : Dsp.uniform(r, 1, 6));
            if (abandoned) {
                t = failed(c, t, notes);
                windowEnd = t + Conversation.at(3);
            } else {
                int answer = t;
                if (!fast && Dsp.chance(r, 0.85)) {
                    int cycles = 1 + r.nextInt(4);
                    double level = quiet ? Dsp.uniform(r, -32, -26) : Dsp.uniform(r, -28, -16);
                    answer = t + Conversation.at((cycles - 1) * 6 + Dsp.uniform(r, 0.3, 5.5));
                    float[] ring = Sounds.cadence(440, 480, level, 2000, 4000, cycles);
                    c.network(t, java.util.Arrays.copyOf(ring, Math.min(ring.length, answer - t)));
                    notes.append(String.format(Locale.ROOT, "ringback=%d@%.0fdBm0 ", cycles, level));
                }
                int talkFrom = answer;
                if (Dsp.chance(r, 0.4)) { // the called party flashes again to join everyone
                    talkFrom = c.flash(answer + Conversation.at(Dsp.uniform(r, 1, 6)), Dsp.uniform(r, 300, 900),
                            Dsp.chance(r, 0.7), Dsp.chance(r, 0.7));
                    notes.append("conference-flash ");
                }
                SpeechPool.Speaker third = pool.pickOther(r, c.called, c.inmate);
                Line theirs = new Line(r, Line.anyKind(r));
                double level = line.speechDbm0 + Dsp.uniform(r, -8, 6);
                c.network(answer, theirs.idle(c.length() - answer, r)); // the third line's own noise, from the answer on
                c.thirdParty(third, theirs, answer, talkFrom, level); // "hello?" while the conference is being made
                t = c.talkThreeWay(third, theirs, level, talkFrom, talkFrom + Conversation.at(Dsp.uniform(r, 20, 45)));
                windowEnd = answer + Conversation.at(20);
                notes.append("third=").append(third.id().replace(' ', '_')).append(' ');
            }
        }
        int end = Math.min(c.length(), t + Conversation.at(Dsp.uniform(r, 10, 30)));
        if (end > t) {
            c.talk(t, end);
        }
        byte[] all = line.render(c.track, r);
        Clip clip = new Clip(id, category, true, java.util.Arrays.copyOf(all, end), line.ulaw);
        clip.windows.add(new long[] {t0 / 8 - 1000, Math.min(end, windowEnd) / 8});
        clip.notes.append(line.kind.name().toLowerCase(Locale.ROOT)).append(' ').append(notes);
        return clip;
    }

    /** Busy, reorder, or SIT and an intercept message; then the called party flashes back. */
    private static int failed(Conversation c, int t, StringBuilder notes) {
        SplittableRandom r = c.r;
        double x = r.nextDouble();
        if (x < 0.7) {
            boolean busy = x < 0.35;
            int cycles = 3 + r.nextInt(6);
            float[] tone = busy ? Sounds.cadence(480, 620, Dsp.uniform(r, -30, -20), 500, 500, cycles)
                    : Sounds.cadence(480, 620, Dsp.uniform(r, -30, -20), 250, 250, cycles);
            c.network(t, tone);
            t += tone.length;
            notes.append(busy ? "busy " : "reorder ").append(cycles).append(' ');
        } else {
            float[] sit = Sounds.sit(r, Dsp.uniform(r, -30, -20));
            c.network(t, sit);
            t += sit.length;
            Line office = new Line(r, Line.Kind.VOIP);
            t = c.thirdParty(c.pool.pickOther(r, c.called, c.inmate), office, t, c.length(), -20);
            notes.append("sit+intercept ");
        }
        return c.flash(t + Conversation.at(Dsp.uniform(r, 0.3, 1.5)), Dsp.uniform(r, 300, 900),
                Dsp.chance(r, 0.7), Dsp.chance(r, 0.7));
    }
}
