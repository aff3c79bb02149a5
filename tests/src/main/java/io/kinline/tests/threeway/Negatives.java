package io.kinline.tests.threeway;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Calls without a three-way attempt, each built to contain what a detector must not mistake for one:
 *
 * <ul>
 *   <li>{@code neg-talk}: conversation with long pauses; mobile lines also mute now and then (digital silence);</li>
 *   <li>{@code neg-ivr}: keys pressed as for a menu (mostly one key, sometimes an account number of 6-10
 *       digits), after taking the phone from the ear (a knock now and then);</li>
 *   <li>{@code neg-cw}: call waiting: the called party flashes to the other caller (clicks, an on-hook
 *       gap), the inmate waits in silence, the called party flashes back;</li>
 *   <li>{@code neg-tv}: a television in the room (voices, music, effects);</li>
 *   <li>{@code neg-music}: music in the room, or music on hold from the called party's phone, with
 *       F major chords and bare F4+A4 dyads (the dial tone's frequencies);</li>
 *   <li>{@code neg-prompts}: the switch's own reminder prompts coming back as echo, the called party silent meanwhile;</li>
 *   <li>{@code neg-setdown}: the handset set down on a table (or dropped) and picked up again later;</li>
 *   <li>{@code neg-tv-phone} (hard, reported apart): a television scene in which someone dials a phone:
 *       dial tone, digits and ringing, from the room.</li>
 * </ul>
 */
final class Negatives {

    static final List<String> ORDINARY = List.of("neg-talk", "neg-ivr", "neg-cw", "neg-tv", "neg-music", "neg-prompts", "neg-setdown");
    private static final double[] WEIGHTS = {0.30, 0.12, 0.12, 0.12, 0.12, 0.10, 0.12};
    static final String TV_PHONE = "neg-tv-phone";

    private Negatives() {
    }

    static String category(SplittableRandom r) {
        double x = r.nextDouble();
        for (int i = 0; i < WEIGHTS.length; i++) {
            x -= WEIGHTS[i];
            if (x < 0) {
                return ORDINARY.get(i);
            }
        }
        return ORDINARY.get(0);
    }

    static Clip make(String id, String category, double seconds, SplittableRandom r, SpeechPool pool,
            List<float[]> switchPrompts) {
        Line line = new Line(r, Line.anyKind(r));
        Conversation c = new Conversation(r, pool, line, seconds);
        StringBuilder notes = new StringBuilder(line.kind.name().toLowerCase(Locale.ROOT)).append(' ');
        int n = c.length();
        switch (category) {
            case "neg-talk" -> {
                c.talk(0, n);
                if (line.kind == Line.Kind.MOBILE) {
                    int mutes = r.nextInt(4);
                    for (int i = 0; i < mutes; i++) {
                        int at = r.nextInt(n);
                        c.track.hold(at, at + Conversation.at(Dsp.uniform(r, 0.3, 6)));
                    }
                    notes.append("mutes=").append(mutes);
                }
            }
            case "neg-ivr" -> events(c, notes, (at, limit) -> ivr(c, at, notes));
            case "neg-cw" -> events(c, notes, (at, limit) -> callWaiting(c, at, notes));
            case "neg-tv", TV_PHONE -> {
                c.talk(0, n);
                double level = Dsp.uniform(r, -48, -30);
                Background.tv(c, 0, n, level, category.equals(TV_PHONE), notes);
            }
            case "neg-music" -> {
                c.talk(0, n);
                boolean room = Dsp.chance(r, 0.6);
                if (room) {
                    Background.music(c, 0, n, Dsp.uniform(r, -46, -28));
                    notes.append("room-music ");
                }
                if (!room || Dsp.chance(r, 0.6)) {
                    int at = Conversation.at(Dsp.uniform(r, 20, seconds / 2));
                    int len = Conversation.at(Dsp.uniform(r, 20, 90));
                    c.track.hold(at, at + len);
                    c.network(at, Sounds.music(r, len / 8000.0, Dsp.uniform(r, -28, -16)));
                    notes.append("hold-music ");
                }
            }
            case "neg-prompts" -> {
                int every = Conversation.at(Dsp.uniform(r, 60, 120));
                int t = 0;
                for (int at = every; at < n; at += every) {
                    c.talk(t, at - Conversation.at(Dsp.uniform(r, 0.2, 2)));
                    float[] p = switchPrompts.get(r.nextInt(switchPrompts.size()));
                    t = Conversation.place(c.track.ambient, p, at, n, -13 - line.echoLossDb) + Conversation.at(Dsp.uniform(r, 0.2, 1.5));
                }
                c.talk(Math.min(t, n), n);
                notes.append("prompts every ").append(every / 8000).append(" s");
            }
            case "neg-setdown" -> events(c, notes, (at, limit) -> setDown(c, at, notes));
            default -> throw new IllegalArgumentException(category);
        }
        Clip clip = new Clip(id, category, false, line.render(c.track, r), line.ulaw);
        clip.notes.append(notes);
        return clip;
    }

    interface Event {
        /** Places an event at {@code at}; returns where talk resumes. */
        int at(int at, int limit);
    }

    /** Talk with 1-3 events spread over the call. */
    private static void events(Conversation c, StringBuilder notes, Event e) {
        int n = c.length();
        int count = 1 + c.r.nextInt(3);
        int t = 0;
        for (int i = 0; i < count; i++) {
            int at = t + Conversation.at(Dsp.uniform(c.r, 15, Math.max(16, (n - t) / 8000.0 / (count - i))));
            if (at >= n - Conversation.at(20)) {
                break;
            }
            c.talk(t, at);
            t = Math.min(n, e.at(at, n));
        }
        if (t < n) {
            c.talk(t, n);
        }
    }

    private static int ivr(Conversation c, int at, StringBuilder notes) {
        SplittableRandom r = c.r;
        int t = at + Conversation.at(Dsp.uniform(r, 0.3, 3));
        if (Dsp.chance(r, 0.3)) {
            Dsp.mix(c.track.voice, at + Conversation.at(0.1), Sounds.knock(r, Dsp.uniform(r, -26, -10)), 1);
        }
        double x = r.nextDouble();
        int count = x < 0.6 ? 1 : x < 0.9 ? 2 + r.nextInt(3) : 6 + r.nextInt(5);
        StringBuilder keys = new StringBuilder();
        for (int i = 0; i < count; i++) {
            keys.append("0123456789*#".charAt(r.nextInt(12)));
        }
        t = c.keys(t, keys.toString(), Dsp.uniform(r, -20, -5), 0.07, 0.2, 0.15, 0.9);
        notes.append("keys=").append(count).append(' ');
        return t + Conversation.at(Dsp.uniform(r, 0.5, 3));
    }

    private static int callWaiting(Conversation c, int at, StringBuilder notes) {
        SplittableRandom r = c.r;
        int t = c.say(at, c.length()) + Conversation.at(Dsp.uniform(r, 0.2, 1)); // "hold on, I have another call"
        if (!Dsp.chance(r, 0.7)) {
            notes.append("cw-ignored ");
            return t + Conversation.at(Dsp.uniform(r, 0.5, 2));
        }
        int away = c.flash(t, Dsp.uniform(r, 300, 1000), Dsp.chance(r, 0.8), Dsp.chance(r, 0.8));
        int hold = Conversation.at(Dsp.uniform(r, 4, 40));
        c.track.hold(away, away + hold);
        int back = c.flash(away + hold, Dsp.uniform(r, 300, 800), Dsp.chance(r, 0.8), Dsp.chance(r, 0.8));
        notes.append(String.format(Locale.ROOT, "cw-hold=%.0fs ", hold / 8000.0));
        return back + Conversation.at(Dsp.uniform(r, 0.2, 1));
    }

    private static int setDown(Conversation c, int at, StringBuilder notes) {
        SplittableRandom r = c.r;
        boolean dropped = Dsp.chance(r, 0.3);
        Dsp.mix(c.track.voice, at, Sounds.knock(r, dropped ? Dsp.uniform(r, -8, 0) : Dsp.uniform(r, -20, -6)), 1);
        if (dropped) {
            Dsp.mix(c.track.voice, at + Conversation.at(Dsp.uniform(r, 0.15, 0.5)), Sounds.knock(r, Dsp.uniform(r, -16, -6)), 1);
        }
        int len = Conversation.at(Dsp.uniform(r, dropped ? 1 : 10, dropped ? 6 : 90));
        int end = Math.min(c.length(), at + len);
        float gain = (float) Math.pow(10, Dsp.uniform(r, -26, -10) / 20);
        java.util.Arrays.fill(c.track.roomGain, at, end, gain);
        Background.distantVoices(c, at, end, Dsp.uniform(r, -60, -46));
        Dsp.mix(c.track.voice, end, Sounds.knock(r, Dsp.uniform(r, -20, -8)), 1);
        notes.append(dropped ? "dropped " : "set-down ").append(len / 8000).append("s ");
        return end + Conversation.at(Dsp.uniform(r, 0.3, 1.5));
    }
}
