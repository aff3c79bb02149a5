package io.kinline.media.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording is evidence: a second recorder opened on the same path (two calls whose file names collide,
 * a replayed Call-ID) must fail, never truncate or overwrite the first call's audio. And a finished
 * recording is left read-only.
 */
class RecordingOverwriteTest {

    @TempDir
    Path dir;

    private final RecordingWriter writer = new RecordingWriter(1);

    @AfterEach
    void tearDown() {
        writer.close();
    }

    private static short[] packet(int value) {
        short[] p = new short[160];
        Arrays.fill(p, (short) value);
        return p;
    }

    @Test
    void aSecondRecordingOnTheSamePathFailsAndLeavesTheFirstIntact() throws Exception {
        Path file = dir.resolve("2026-11-25").resolve("c-1.wav");
        Files.createDirectories(file.getParent());
        StereoRecorder first = StereoRecorder.open(file, writer);
        for (int i = 0; i < 25; i++) {
            first.append(StereoRecorder.INMATE, i * 160L, packet(1000), 0, 160);
            first.append(StereoRecorder.CALLED, i * 160L, packet(-1000), 0, 160);
        }
        first.close();
        first.closeFuture().get(20, TimeUnit.SECONDS);
        byte[] evidence = Files.readAllBytes(file);
        assertTrue(evidence.length > 44, "the first call was recorded");

        // The attack: another call recording to the same name.
        assertThrows(FileAlreadyExistsException.class, () -> StereoRecorder.open(file, writer));
        assertArrayEquals(evidence, Files.readAllBytes(file), "the first call's recording is untouched");
    }

    @Test
    void aFinishedRecordingIsReadOnly() throws Exception {
        Path file = dir.resolve("c-2.wav");
        StereoRecorder r = StereoRecorder.open(file, writer);
        r.append(StereoRecorder.INMATE, 0, packet(5), 0, 160);
        assertTrue(Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_WRITE),
                "writable while recording");
        r.close();
        r.closeFuture().get(20, TimeUnit.SECONDS);
        var perms = Files.getPosixFilePermissions(file);
        assertFalse(perms.contains(PosixFilePermission.OWNER_WRITE), "closed: read-only, " + perms);
        assertFalse(perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE));
    }
}
