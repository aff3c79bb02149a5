package io.kinline.media.record;

import java.io.IOException;

/**
 * Where a {@link StereoRecorder} writes: interleaved 16-bit PCM, appended, flushed at least once a second.
 * {@link #flush()} must leave everything written so far readable after a crash of the process (a plain WAV
 * rewrites its header, an encrypted file seals a chunk). One owner thread; not thread safe.
 */
public interface RecordingOutput extends AutoCloseable {

    /** Appends interleaved samples. */
    void write(short[] samples, int off, int len) throws IOException;

    /** Makes what was written so far durable against a crash of this process. */
    void flush() throws IOException;

    /** Flushes, forces the file to the storage device and closes it. */
    @Override
    void close() throws IOException;
}
