package io.kinline.media;

import io.kinline.media.prompt.Playlist;
import java.nio.file.Path;

/** Two endpoints relaying to each other. Closing the bridge leaves both endpoints open. */
public interface Bridge extends AutoCloseable {

    MediaEndpoint inmateSide();

    MediaEndpoint calledSide();

    /**
     * Mixes a playlist into both directions of the live bridge (the reminder, the one-minute warning).
     * Both parties keep hearing each other. A {@link MediaEvent.PlaybackDone} follows on the inmate side.
     */
    void announce(Playlist playlist);

    /**
     * Records both directions into a stereo WAV, inmate on the left, called party on the right,
     * aligned by RTP timestamps with lost packets as silence. Written incrementally so that a crash
     * loses at most a second.
     */
    void startRecording(Path wavFile);

    /**
     * Finalizes the recording file: when called off the event loops it returns once the file is
     * complete (bounded wait), so a call record written next points at a finished file. Idempotent.
     */
    void stopRecording();

    /**
     * How faithful the last stopped recording is ({@link io.kinline.media.record.RecordingQuality}): final when
     * {@link #stopRecording()} returned with the file complete; null if nothing was recorded.
     */
    default io.kinline.media.record.RecordingQuality recordingQuality() {
        return null;
    }

    /** Milliseconds of audio recorded so far (0 if not recording). */
    long recordedMillis();

    /**
     * Starts a live monitor: every 20 ms the sink gets what the parties hear (both voices and any
     * announcement, mixed). Listening changes nothing for the parties: no audio is sent to them and
     * their RTP is untouched. Several monitors may run at once; closing the bridge closes them all.
     * Privileged calls must never be monitored: that check is the caller's (the media layer does not
     * know which calls are privileged).
     *
     * @throws IllegalStateException if the bridge is closed
     */
    default MonitorTap monitor(MonitorSink sink) {
        throw new UnsupportedOperationException("this bridge cannot be monitored");
    }

    @Override
    void close();
}
