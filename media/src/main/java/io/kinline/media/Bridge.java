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

    /** Finalizes the recording file. Idempotent. */
    void stopRecording();

    /** Milliseconds of audio recorded so far (0 if not recording). */
    long recordedMillis();

    @Override
    void close();
}
