package io.kinline.media.rtp;

import io.kinline.media.MediaEvent;
import io.kinline.media.codec.Codec;
import io.kinline.media.codec.G711;
import io.kinline.media.prompt.Prompt;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A playlist of prompts played to the peer, frame by frame from each prompt's pre-encoded G.711, with
 * barge-in. Loop-confined; raises exactly one {@link MediaEvent.PlaybackDone} per playlist started.
 */
final class Playback {

    private final Consumer<MediaEvent> events;
    private List<Prompt> playing;
    private int index;
    private int pos;
    private boolean bargeIn;

    Playback(Consumer<MediaEvent> events) {
        this.events = events;
    }

    boolean active() {
        return playing != null;
    }

    /** Whether a received digit stops what plays. */
    boolean bargeIn() {
        return playing != null && bargeIn;
    }

    /** Replaces what plays (that one ends interrupted); an empty playlist is done at once. */
    void start(List<Prompt> prompts, boolean barge) {
        stop(true);
        playing = prompts;
        index = 0;
        pos = 0;
        bargeIn = barge;
        if (prompts.isEmpty()) {
            playing = null;
            events.accept(new MediaEvent.PlaybackDone(false));
        }
    }

    /** Ends what plays, if anything, reporting {@code interrupted}. */
    void stop(boolean interrupted) {
        if (playing == null) {
            return;
        }
        playing = null;
        events.accept(new MediaEvent.PlaybackDone(interrupted));
    }

    /** Drops the playlist without an event (the endpoint closed). */
    void clear() {
        playing = null;
    }

    /**
     * Fills one frame of {@code len} bytes (the rest with silence) from the playlist; returns false when
     * the playlist had nothing left. Call {@link #endIfUsedUp()} after sending the frame.
     */
    boolean nextFrame(Codec codec, byte[] dst, int len) {
        List<Prompt> list = playing;
        int filled = 0;
        while (filled < len && index < list.size()) {
            byte[] src = list.get(index).encoded(codec);
            int take = Math.min(len - filled, src.length - pos);
            if (take > 0) {
                System.arraycopy(src, pos, dst, filled, take);
                filled += take;
                pos += take;
            }
            if (pos >= src.length) {
                index++;
                pos = 0;
            }
        }
        if (filled == 0) {
            return false;
        }
        Arrays.fill(dst, filled, len, codec == Codec.PCMU ? G711.ULAW_SILENCE : G711.ALAW_SILENCE);
        return true;
    }

    /** Ends playback (not interrupted) once the last prompt is used up. */
    void endIfUsedUp() {
        if (playing != null && index >= playing.size()) {
            stop(false);
        }
    }
}
