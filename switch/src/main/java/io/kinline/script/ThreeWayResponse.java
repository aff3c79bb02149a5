package io.kinline.script;

import io.kinline.media.MediaEvent;
import io.kinline.media.threeway.Detection;
import io.kinline.media.threeway.Sign;
import io.kinline.policy.FacilityRules;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a call does about the three-way detector's findings on the called leg (docs/THREEWAY.md), per
 * the facility's {@link FacilityRules.ThreeWayAction}:
 *
 * <ul>
 *   <li>every detected episode becomes one THREE_WAY_SUSPECTED incident, written when the episode is
 *       over (with its complete evidence), when it makes the call end, or when the call ends; the call
 *       record is marked;</li>
 *   <li>{@code WARN}: both parties hear the warning, once per episode;</li>
 *   <li>{@code DISCONNECT}: only a strong episode (a flash, then a dial tone or dialling within 10 s)
 *       ends the call; a weaker one is flagged like under {@code FLAG}.</li>
 * </ul>
 *
 * The incident gives each sign's time as an offset into the call's recording, so an investigator can
 * go straight to it. Owned by the call's thread.
 */
final class ThreeWayResponse {

    /** What the script is to do now. */
    enum Act { NONE, WARN, DISCONNECT }

    /** An incident's detail is stored in 8,000 characters; a few dozen signs fit with room to spare. */
    static final int MAX_SIGNS = 40;
    /**
     * Incidents per call. A called party who keeps making attempts (or a line that keeps sounding like
     * them) gets its call flagged, not the incident table filled: later episodes are counted in the log.
     */
    static final int MAX_INCIDENTS = 20;

    private final FacilityRules.ThreeWayAction action;
    private final Consumer<String> incident;
    private final Map<Integer, MediaEvent.ThreeWay> open = new LinkedHashMap<>();
    private final Set<Integer> written = new HashSet<>();
    private final Set<Integer> warned = new HashSet<>();
    private long recordingStartedAtMillis = -1;
    private boolean flagged;

    /** @param incident writes a THREE_WAY_SUSPECTED incident with the given detail */
    ThreeWayResponse(FacilityRules.ThreeWayAction action, Consumer<String> incident) {
        this.action = action;
        this.incident = incident;
    }

    /** The wall-clock time the call's recording started (its time zero), for offsets; -1 if not recorded. */
    void recordingStartedAt(long epochMillis) {
        this.recordingStartedAtMillis = epochMillis;
    }

    /** True once any episode was detected: the call record's mark. */
    boolean flagged() {
        return flagged;
    }

    /** True when {@code e} is news for the call's log: an episode first detected, or one now strong. */
    boolean news(MediaEvent.ThreeWay e) {
        MediaEvent.ThreeWay before = open.get(e.detection().episode());
        return !e.complete() && (before == null || e.detection().strong() && !before.detection().strong());
    }

    Act on(MediaEvent.ThreeWay e) {
        Detection d = e.detection();
        int episode = d.episode();
        flagged = true;
        if (e.complete()) {
            open.remove(episode);
            write(e, false);
            return Act.NONE;
        }
        open.put(episode, e); // the evidence so far, should the call end before the episode does
        if (action == FacilityRules.ThreeWayAction.DISCONNECT && d.strong()) {
            write(e, true);
            return Act.DISCONNECT;
        }
        if (action == FacilityRules.ThreeWayAction.WARN && warned.add(episode)) {
            return Act.WARN;
        }
        return Act.NONE;
    }

    /** The call is over: episodes still open are written with what is known of them. */
    void finish() {
        for (MediaEvent.ThreeWay e : open.values()) {
            write(e, false);
        }
        open.clear();
    }

    private void write(MediaEvent.ThreeWay e, boolean endsCall) {
        if (written.size() < MAX_INCIDENTS && written.add(e.detection().episode())) {
            incident.accept(detail(e, endsCall));
        }
    }

    /** One line an investigator can read: the verdict, the action, then each sign with its place in the recording. */
    String detail(MediaEvent.ThreeWay e, boolean endsCall) {
        Detection d = e.detection();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "three-way attempt: score %.2f%s; facility action %s%s",
                d.score(), d.strong() ? ", strong (a flash, then a dial tone or dialling)" : "",
                action.name().toLowerCase(Locale.ROOT), endsCall ? ", call cut off" : ""));
        s.append("; starts ").append(place(e, d.atMillis()));
        s.append("; signs:");
        int n = 0;
        for (Sign sign : d.signs()) {
            if (n++ == MAX_SIGNS) {
                s.append(" and ").append(d.signs().size() - MAX_SIGNS).append(" more");
                break;
            }
            s.append(String.format(Locale.ROOT, " %s %s (%.2f%s);", sign.kind().label(), place(e, sign.startMillis()),
                    sign.confidence(), sign.detail().isEmpty() ? "" : ", " + sign.detail()));
        }
        return s.toString();
    }

    /** {@code at 1:02.3 in the recording}, or the time since the detector started when there is no recording. */
    private String place(MediaEvent.ThreeWay e, long streamMillis) {
        if (recordingStartedAtMillis < 0 || e.streamStartedAtMillis() < 0) {
            return String.format(Locale.ROOT, "%.1f s after detection began", streamMillis / 1000.0);
        }
        long ms = Math.max(0, streamMillis + e.streamStartedAtMillis() - recordingStartedAtMillis);
        return String.format(Locale.ROOT, "at %d:%04.1f in the recording", ms / 60_000, (ms % 60_000) / 1000.0);
    }
}
