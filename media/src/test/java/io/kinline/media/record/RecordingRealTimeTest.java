package io.kinline.media.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kinline.media.wav.WavReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recording keeps real time: its length is the wall clock from open to close, whatever the senders' clocks. */
class RecordingRealTimeTest {

    @TempDir
    Path dir;

    private RecordingWriter writer;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void setUp() {
        writer = new RecordingWriter(1);
    }

    @AfterEach
    void tearDown() {
        writer.close();
    }

    @Test
    void senderWithFastClockDoesNotStretchTheFile() throws Exception {
        StereoRecorder r = StereoRecorder.open(dir.resolve("fast.wav"), writer, clock::get);
        // The inmate's gateway clock runs 1 % fast: a 20 ms packet every 19.8 ms of our time, for a minute.
        // By RTP timestamps that is 60.6 s of audio in 60 s: placed by timestamp alone, the file grows 0.6 s
        // longer than the call. The called party is on time.
        long wallUs = 60_000_000L;
        int sent0 = 0;
        int sent1 = 0;
        for (long us = 0; us < wallUs; us += 100) {
            clock.set(1_000_000_000L + us * 1000);
            if (us >= sent1 * 20_000L) {
                r.append(StereoRecorder.CALLED, 777 + sent1 * 160L, packet(-3), 0, 160);
                sent1++;
            }
            if (us >= sent0 * 19_800L) {
                r.append(StereoRecorder.INMATE, 1234 + sent0 * 160L, packet(3), 0, 160);
                sent0++;
            }
            if (us % 1_000_000 == 0) {
                waitFor(() -> r.queuedSamples() == 0); // simulated time runs far faster than real time
            }
        }
        clock.set(1_000_000_000L + wallUs * 1000);
        r.close();
        r.closeFuture().get(20, TimeUnit.SECONDS);
        WavReader.Audio a = WavReader.read(r.file());
        long wallFrames = wallUs * 8 / 1000;
        assertTrue(Math.abs(a.frames() - wallFrames) <= 160,
                "file is " + a.frames() + " samples for " + wallFrames + " of wall time");
        // Both channels keep their audio to the end: the fast one loses only what had to be skipped.
        short[] left = a.channel(StereoRecorder.INMATE);
        short[] right = a.channel(StereoRecorder.CALLED);
        assertEquals(3, left[left.length - 200]);
        assertEquals(-3, right[right.length - 200]);
        // What had to be skipped is counted: about 0.6 s less the 100 ms lead allowed, never a gap.
        RecordingQuality q = r.quality();
        assertEquals(0, q.gapFramesInmate(), q.toString());
        assertEquals(0, q.gapFramesCalled(), q.toString());
        assertTrue(q.driftFrames() >= 20 && q.driftFrames() <= 32, q.toString());
    }

    static short[] packet(int value) {
        short[] p = new short[160];
        Arrays.fill(p, (short) value);
        return p;
    }

    static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not met within 30 s");
            }
            Thread.sleep(5);
        }
    }
}
