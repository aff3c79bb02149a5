package io.kinline.evidence;

import io.kinline.media.files.PrivateFiles;
import io.kinline.media.record.RecordingFormat;
import io.kinline.media.record.RecordingOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test recordings: a closed (read-only) stereo file of a given length, as the recorder leaves it. */
final class Recordings {

    private Recordings() {
    }

    static Path write(Path recordingsDir, String day, String name, RecordingFormat format, int millis, int seed)
            throws IOException {
        Path file = recordingsDir.resolve(day).resolve(name);
        Files.createDirectories(file.getParent());
        short[] s = new short[millis * 16];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((i * 31 + seed * 7919) % 20000);
        }
        try (RecordingOutput out = format.create(file, 2)) {
            out.write(s, 0, s.length);
            out.flush();
        }
        PrivateFiles.readOnly(file);
        return file;
    }
}
