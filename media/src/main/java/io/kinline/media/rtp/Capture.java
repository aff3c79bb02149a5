package io.kinline.media.rtp;

import io.kinline.media.MediaEvent;
import io.kinline.media.wav.WavWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the peer says, placed by RTP timestamp into a bounded buffer and written to a mono WAV when it
 * stops (the inmate's recorded name). Gaps stay zero: silence for lost packets. Loop-confined; the
 * file is written on {@code io}, then {@link MediaEvent.CaptureDone} is raised back on the loop.
 */
final class Capture {

    private static final Logger log = LoggerFactory.getLogger(Capture.class);

    /** Longest capture buffered in memory (10 minutes of 8 kHz PCM, 9.6 MB). */
    static final int MAX_MILLIS = 600_000;

    private final String callId;
    private final Executor io;
    private final Consumer<MediaEvent> doneOnLoop;
    private short[] samples;
    private int length;
    private long baseTs = -1;
    private long deadlineNanos;
    private Path file;

    Capture(String callId, Executor io, Consumer<MediaEvent> doneOnLoop) {
        this.callId = callId;
        this.io = io;
        this.doneOnLoop = doneOnLoop;
    }

    boolean active() {
        return samples != null;
    }

    /** Starts capturing into {@code wavFile} for at most {@code ms}, finishing one that runs. */
    void start(Path wavFile, int ms, long now) {
        finish();
        samples = new short[ms * 8];
        length = 0;
        baseTs = -1;
        file = wavFile;
        deadlineNanos = now + ms * 1_000_000L;
    }

    /** Finishes the capture once its time is up. */
    void expire(long now) {
        if (samples != null && now - deadlineNanos >= 0) {
            finish();
        }
    }

    /** Received audio at RTP timestamp {@code ts}. */
    void onAudio(long ts, short[] pcm, int n) {
        if (baseTs < 0) {
            baseTs = ts;
        }
        long pos = (int) (ts - baseTs); // signed 32-bit distance
        if (pos < 0 || pos >= samples.length) {
            return;
        }
        int len = (int) Math.min(n, samples.length - pos);
        System.arraycopy(pcm, 0, samples, (int) pos, len);
        length = (int) Math.max(length, pos + len);
        if (length >= samples.length) {
            finish();
        }
    }

    /** Writes what was captured, if a capture runs. */
    void finish() {
        if (samples == null) {
            return;
        }
        short[] data = Arrays.copyOf(samples, length);
        Path to = file;
        samples = null;
        file = null;
        long millis = data.length / 8L;
        io.execute(() -> {
            try {
                WavWriter.write(to, 1, data);
            } catch (Exception e) {
                log.warn("[{}] cannot write capture {}: {}", callId, to, e.toString());
            }
            doneOnLoop.accept(new MediaEvent.CaptureDone(millis));
        });
    }
}
