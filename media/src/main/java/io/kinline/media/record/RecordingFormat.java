package io.kinline.media.record;

import io.kinline.media.files.PrivateFiles;

import io.kinline.media.wav.WavWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How call recordings are stored: a plain WAV ({@link #WAV}, the default) or encrypted at rest
 * ({@link RecordingCipher#format()}). Every format creates its file exclusively: an existing file at the
 * path is an error ({@link java.nio.file.FileAlreadyExistsException}), never truncated or overwritten, so
 * no call can record over another call's evidence.
 */
@FunctionalInterface
public interface RecordingFormat {

    /** Creates {@code file} (it must not exist, mode 600) for {@code channels} of 8 kHz 16-bit audio. */
    RecordingOutput create(Path file, int channels) throws IOException;

    /** 8 kHz 16-bit PCM WAV, its header rewritten at every flush. */
    RecordingFormat WAV = (file, channels) -> {
        WavWriter w = WavWriter.createNew(file, channels, PrivateFiles.fileAttributes(file));
        return new RecordingOutput() {
            @Override
            public void write(short[] samples, int off, int len) throws IOException {
                w.write(samples, off, len);
            }

            @Override
            public void flush() throws IOException {
                w.flush();
            }

            @Override
            public void close() throws IOException {
                w.close();
            }
        };
    };
}
