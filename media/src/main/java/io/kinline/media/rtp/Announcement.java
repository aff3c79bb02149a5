package io.kinline.media.rtp;

import io.kinline.media.MediaEvent;
import java.util.function.Consumer;

/**
 * An announcement mixed into what an endpoint sends while it is bridged (the reminder, "one minute
 * remaining"): added to each relayed frame with saturation, or sent alone when the other party is
 * silent. Loop-confined.
 */
final class Announcement {

    private final Consumer<MediaEvent> events;
    private short[] pcm;
    private int pos;
    private boolean notify;

    Announcement(Consumer<MediaEvent> events) {
        this.events = events;
    }

    boolean active() {
        return pcm != null;
    }

    /**
     * Starts {@code overlay}, replacing one that plays. {@code notifyDone}: raise PlaybackDone when it
     * ends or is replaced.
     */
    void start(short[] overlay, boolean notifyDone) {
        stop();
        pcm = overlay.length == 0 ? null : overlay;
        pos = 0;
        notify = notifyDone;
        if (pcm == null && notifyDone) {
            events.accept(new MediaEvent.PlaybackDone(false));
        }
    }

    /** Stops it (interrupted), if one plays. */
    void stop() {
        if (pcm != null && notify) {
            events.accept(new MediaEvent.PlaybackDone(true));
        }
        pcm = null;
    }

    /** Drops it without an event (the endpoint closed). */
    void clear() {
        pcm = null;
    }

    /** Adds the next {@code n} samples of the announcement to {@code frame}, saturating. */
    void mixInto(short[] frame, int n) {
        short[] o = pcm;
        int avail = Math.min(n, o.length - pos);
        for (int i = 0; i < avail; i++) {
            int v = frame[i] + o[pos + i];
            frame[i] = (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : v < Short.MIN_VALUE ? Short.MIN_VALUE : v);
        }
        pos += avail;
        if (pos >= o.length) {
            pcm = null;
            if (notify) {
                events.accept(new MediaEvent.PlaybackDone(false));
            }
        }
    }
}
