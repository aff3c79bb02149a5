package io.kinline.media.threeway;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Combines signs into one score per episode, and decides.
 *
 * <p><b>Episodes.</b> A sign that starts more than {@value #JOIN_MILLIS} ms after the end of the
 * episode's latest sign opens a new episode; a flash, its dial tone, the digits, the ringing and the
 * new line of one attempt all fall within that of each other.
 *
 * <p><b>Score.</b> Each kind of sign has a weight (the most a sign of that kind can say on its own) and
 * the episode keeps the highest confidence per kind. The score is the chance that at least one piece
 * of evidence is right, the signs taken as independent: {@code 1 - Π(1 - weight × confidence)}. Every
 * weight is below {@value #THRESHOLD}, so no sign decides alone however sure it is: a key press, a
 * pause, a call-waiting flash, a ringing tone from a television, a handset set down on a table (a line
 * change) each stay below the threshold. Two independent signs of a new call being set up pass it. A
 * line change counts only beside a flash, a dial tone or dialling: alone, or beside a ringback from a
 * television, it is what a handset set down in a room with the TV on sounds like.
 *
 * <p><b>Strong.</b> A flash of its own standing, confidence at least {@value #STRONG_FLASH} as found
 * (clicks or a deep gap, a recall dial tone, an RFC 4733 event: not a bare pause that only the dial tone
 * after it makes a flash), followed within {@value #STRONG_WITHIN_MILLIS} ms by a dial tone or by at
 * least two digits, with the score above the threshold. This is the only combination on which a
 * facility may have calls cut off: a television scene of someone dialling a phone, after a pause in the
 * programme, must not be.
 *
 * <p><b>Order.</b> Signs in the order of an attempt confirm each other: a gap followed within
 * {@value #FLASH_TO_DIAL_TONE_MILLIS} ms by a dial tone, or within {@value #STRONG_WITHIN_MILLIS} ms by
 * three digits or more, counts as a flash of confidence at least {@value #SEQUENCE_FLASH} (clicks or
 * not), and a dial tone cut by digits within
 * {@value #DIAL_TONE_TO_DIGIT_MILLIS} ms counts at least {@value #SEQUENCE_DIAL_TONE}.
 *
 * <p>The listener hears of an episode when it is first detected and again if it becomes strong, of
 * each sign added to it after that, and once more with the complete evidence when it ends.
 */
final class Decision implements SignSink {

    static final long JOIN_MILLIS = 15_000;
    /**
     * Signs kept per episode. Every sign is weighed against the others, on the media event loop: a
     * caller who keeps making signs (a flash every two seconds for an hour) must not make each one
     * dearer than the last.
     */
    static final int MAX_SIGNS = 48;
    /**
     * A weaker sign joins the episode but does not keep it open: on a line whose pauses are digital
     * silence, clicked-looking pauses come every few seconds, and must not chain a whole call into one
     * episode.
     */
    static final double EXTEND_MIN = 0.5;
    /** Digits may be timed up to this much before the dial tone they cut (a detector's start estimate). */
    static final long ORDER_SLACK_MILLIS = 500;
    static final double THRESHOLD = 0.6;
    static final double STRONG_FLASH = 0.5;
    static final long STRONG_WITHIN_MILLIS = 10_000;
    /** Two digits: less is a key press, not dialling. */
    static final double STRONG_DIALLING = 0.45;
    /** A sign at least this heavy (weight × confidence) marks where an episode starts. */
    static final double MEANINGFUL = 0.25;
    /** A dial tone starting this soon after a gap makes the gap a flash of at least {@value #SEQUENCE_FLASH}. */
    static final long FLASH_TO_DIAL_TONE_MILLIS = 2_000;
    static final double SEQUENCE_FLASH = 0.7;
    /** Dialling of at least three digits (the confidence of three) after a gap makes it a flash too. */
    static final double SEQUENCE_DIGITS = 0.6;
    /** Digits starting this soon after a dial tone ends make it a dial tone of at least {@value #SEQUENCE_DIAL_TONE}. */
    static final long DIAL_TONE_TO_DIGIT_MILLIS = 1_500;
    static final double SEQUENCE_DIAL_TONE = 0.8;

    private static final Map<Sign.Kind, Double> WEIGHTS = new EnumMap<>(Map.of(
            Sign.Kind.FLASH, 0.4,
            Sign.Kind.DIAL_TONE, 0.5,
            Sign.Kind.DIALLING, 0.45,
            Sign.Kind.RINGBACK, 0.45,
            Sign.Kind.BUSY, 0.35,
            Sign.Kind.REORDER, 0.35,
            Sign.Kind.SIT, 0.45,
            Sign.Kind.LINE_CHANGE, 0.25));

    private final ThreeWayDetector.Listener listener;
    private final List<Sign> signs = new ArrayList<>();
    private int episode;
    private long lastEnd;
    private int level; // 0 nothing, 1 detected, 2 strong
    private double score;

    Decision(ThreeWayDetector.Listener listener) {
        this.listener = listener;
    }

    static double weight(Sign.Kind kind) {
        return WEIGHTS.get(kind);
    }

    @Override
    public void sign(Sign.Kind kind, long startMillis, long endMillis, double confidence, String detail) {
        if (!signs.isEmpty() && startMillis > lastEnd + JOIN_MILLIS) {
            endEpisode();
        }
        if (signs.isEmpty()) {
            episode++;
            lastEnd = endMillis;
        }
        Sign s = new Sign(kind, startMillis, endMillis, confidence, detail);
        listener.onSign(s);
        merge(s);
        if (confidence >= EXTEND_MIN) {
            lastEnd = Math.max(lastEnd, endMillis);
        }
        evaluate();
    }

    /** Called every frame with the stream position: ends an episode nothing was added to for a while. */
    void tick(long nowMillis) {
        if (!signs.isEmpty() && nowMillis > lastEnd + JOIN_MILLIS) {
            endEpisode();
        }
    }

    void flush() {
        endEpisode();
    }

    /** Same-kind reports of one thing (a dial tone reported early then complete, a digit burst, ringback cycles) become one sign. */
    private void merge(Sign s) {
        for (int i = signs.size() - 1; i >= 0; i--) {
            Sign old = signs.get(i);
            if (old.kind() != s.kind()) {
                continue;
            }
            boolean same = old.startMillis() == s.startMillis()
                    || s.kind() == Sign.Kind.RINGBACK && s.startMillis() <= old.endMillis() + 6_000
                    || (s.kind() == Sign.Kind.BUSY || s.kind() == Sign.Kind.REORDER) && s.startMillis() <= old.endMillis();
            if (same) {
                signs.set(i, new Sign(s.kind(), Math.min(old.startMillis(), s.startMillis()),
                        Math.max(old.endMillis(), s.endMillis()), Math.max(old.confidence(), s.confidence()),
                        s.confidence() >= old.confidence() ? s.detail() : old.detail()));
                return;
            }
            break;
        }
        if (signs.size() >= MAX_SIGNS && !makeRoom(s)) {
            return;
        }
        int at = signs.size();
        while (at > 0 && signs.get(at - 1).startMillis() > s.startMillis()) {
            at--;
        }
        signs.add(at, s);
    }

    /**
     * The episode is full: a sign of a kind already present replaces the weakest of its kind if it is
     * surer (else it is dropped); a new kind replaces the weakest sign of all. The best per kind, which
     * is what the score counts, never goes down.
     */
    private boolean makeRoom(Sign s) {
        int victim = -1;
        for (int i = 0; i < signs.size(); i++) {
            Sign o = signs.get(i);
            if (o.kind() == s.kind() && (victim < 0 || o.confidence() < signs.get(victim).confidence())) {
                victim = i;
            }
        }
        if (victim >= 0 && signs.get(victim).confidence() >= s.confidence()) {
            return false;
        }
        if (victim < 0) {
            victim = 0;
            for (int i = 1; i < signs.size(); i++) {
                if (signs.get(i).confidence() < signs.get(victim).confidence()) {
                    victim = i;
                }
            }
        }
        signs.remove(victim);
        return true;
    }

    private void evaluate() {
        score = score(signs);
        int now = score >= THRESHOLD ? (strong(signs) ? 2 : 1) : 0;
        if (now > level) {
            level = now;
            listener.onDetection(snapshot());
        } else if (level > 0) {
            listener.onEvidence(snapshot());
        }
    }

    static double score(List<Sign> signs) {
        EnumMap<Sign.Kind, Double> best = new EnumMap<>(Sign.Kind.class);
        for (Sign s : signs) {
            best.merge(s.kind(), s.confidence(), Math::max);
        }
        // Order makes each sign surer of what it is: a quiet gap right before a dial tone is the line
        // going on hook, and a dial tone that stops as digits begin is a dial tone.
        for (Sign a : signs) {
            if (a.kind() == Sign.Kind.FLASH && (beforeDialTone(a, signs) || beforeDialling(a, signs))) {
                best.merge(Sign.Kind.FLASH, SEQUENCE_FLASH, Math::max);
            }
            for (Sign b : signs) {
                if (a.kind() == Sign.Kind.DIAL_TONE && b.kind() == Sign.Kind.DIALLING
                        && b.startMillis() >= a.startMillis() - ORDER_SLACK_MILLIS
                        && b.startMillis() - a.endMillis() <= DIAL_TONE_TO_DIGIT_MILLIS) {
                    best.merge(Sign.Kind.DIAL_TONE, SEQUENCE_DIAL_TONE, Math::max);
                }
            }
        }
        // A line change only corroborates a flash that something else already backs: alone, or beside
        // a tone, it is what hold music or a handset set down near the TV sounds like.
        boolean setup = best.containsKey(Sign.Kind.FLASH) && best.size() - (best.containsKey(Sign.Kind.LINE_CHANGE) ? 1 : 0) >= 2;
        double miss = 1;
        for (Map.Entry<Sign.Kind, Double> e : best.entrySet()) {
            if (e.getKey() == Sign.Kind.LINE_CHANGE && !setup) {
                continue;
            }
            miss *= 1 - weight(e.getKey()) * e.getValue();
        }
        return 1 - miss;
    }

    static boolean strong(List<Sign> signs) {
        for (Sign flash : signs) {
            if (flash.kind() != Sign.Kind.FLASH || flash.confidence() < STRONG_FLASH) {
                continue;
            }
            for (Sign next : signs) {
                boolean follows = next.startMillis() >= flash.startMillis()
                        && next.startMillis() - flash.endMillis() <= STRONG_WITHIN_MILLIS;
                if (follows && (next.kind() == Sign.Kind.DIAL_TONE
                        || next.kind() == Sign.Kind.DIALLING && next.confidence() >= STRONG_DIALLING)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A dial tone starts within {@link #FLASH_TO_DIAL_TONE_MILLIS} of the gap's end. */
    private static boolean beforeDialTone(Sign flash, List<Sign> signs) {
        for (Sign b : signs) {
            if (b.kind() == Sign.Kind.DIAL_TONE && b.startMillis() >= flash.endMillis()
                    && b.startMillis() - flash.endMillis() <= FLASH_TO_DIAL_TONE_MILLIS) {
                return true;
            }
        }
        return false;
    }

    /**
     * A flash of its own standing (at least {@link #STRONG_FLASH}) followed within
     * {@link #STRONG_WITHIN_MILLIS} by three digits or more: a number being dialled after a hook action.
     * (A bare pause before a long key sequence is what a menu looks like.)
     */
    private static boolean beforeDialling(Sign flash, List<Sign> signs) {
        if (flash.confidence() < STRONG_FLASH) {
            return false;
        }
        for (Sign b : signs) {
            if (b.kind() == Sign.Kind.DIALLING && b.confidence() >= SEQUENCE_DIGITS && b.startMillis() >= flash.endMillis()
                    && b.startMillis() - flash.endMillis() <= STRONG_WITHIN_MILLIS) {
                return true;
            }
        }
        return false;
    }

    private Detection snapshot() {
        return new Detection(episode, start(signs), score, level == 2, signs);
    }

    /**
     * Where an investigator should start listening: the first sign that says something on its own (a
     * stray key, a faint pause or a shift of the background before the attempt does not move the start
     * back).
     */
    static long start(List<Sign> signs) {
        for (Sign s : signs) {
            if (s.kind() == Sign.Kind.LINE_CHANGE) {
                continue; // found late and only corroborating: where the background shifted, not where the attempt began
            }
            double c = s.kind() == Sign.Kind.FLASH && (beforeDialTone(s, signs) || beforeDialling(s, signs))
                    ? Math.max(s.confidence(), SEQUENCE_FLASH) : s.confidence();
            if (weight(s.kind()) * c >= MEANINGFUL) {
                return s.startMillis();
            }
        }
        return signs.get(0).startMillis();
    }

    private void endEpisode() {
        if (!signs.isEmpty() && level > 0) {
            listener.onEpisodeEnd(snapshot());
        } else if (!signs.isEmpty()) {
            listener.onEpisodeBelowThreshold(snapshot());
        }
        signs.clear();
        level = 0;
        score = 0;
    }
}
