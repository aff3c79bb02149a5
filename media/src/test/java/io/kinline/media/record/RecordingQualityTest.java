package io.kinline.media.record;

import static io.kinline.media.record.RecordingRealTimeTest.packet;
import static io.kinline.media.record.RecordingRealTimeTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every recording says how it degraded: gap, late and dropped frames ({@link RecordingQuality}). */
class RecordingQualityTest {

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

    private void at(long ms) {
        clock.set(1_000_000_000L + ms * 1_000_000L);
    }

    private RecordingQuality finish(StereoRecorder r) throws Exception {
        r.close();
        r.closeFuture().get(20, TimeUnit.SECONDS);
        return r.quality();
    }

    @Test
    void cleanCallCountsNothing() throws Exception {
        StereoRecorder r = StereoRecorder.open(dir.resolve("clean.wav"), writer, clock::get);
        for (int i = 0; i < 250; i++) {
            at(i * 20L);
            r.append(StereoRecorder.INMATE, 1000 + i * 160L, packet(1), 0, 160);
            r.append(StereoRecorder.CALLED, 5000 + i * 160L, packet(-1), 0, 160);
        }
        at(5000);
        assertEquals(RecordingQuality.CLEAN, finish(r));
    }

    @Test
    void lossyChannelCountsOneGapFramePerLostPacket() throws Exception {
        StereoRecorder r = StereoRecorder.open(dir.resolve("lossy.wav"), writer, clock::get);
        // Ten seconds; the inmate's network loses every tenth packet (50 of 500), the called party's none.
        for (int i = 0; i < 500; i++) {
            at(i * 20L);
            if (i % 10 != 5) {
                r.append(StereoRecorder.INMATE, 1000 + i * 160L, packet(1), 0, 160);
            }
            r.append(StereoRecorder.CALLED, 5000 + i * 160L, packet(-1), 0, 160);
            if (i % 50 == 0) {
                waitFor(() -> r.queuedSamples() == 0); // simulated time runs faster than the writer
            }
        }
        // The called party stops 2 s before the close (it hung up first): trailing silence, not a gap.
        at(12_000);
        RecordingQuality q = finish(r);
        assertEquals(new RecordingQuality(50, 0, 0, 0, 0), q);
        assertEquals(50, writer.gapFrames(StereoRecorder.INMATE));
        assertEquals(0, writer.gapFrames(StereoRecorder.CALLED));
    }

    @Test
    void holeOfOneSecondIsFiftyGapFrames() throws Exception {
        StereoRecorder r = StereoRecorder.open(dir.resolve("hole.wav"), writer, clock::get);
        for (int i = 0; i < 200; i++) {
            at(i * 20L);
            if (i < 50 || i >= 100) { // packets 50..99 never arrive
                r.append(StereoRecorder.CALLED, 42 + i * 160L, packet(-1), 0, 160);
            }
            waitFor(() -> r.queuedSamples() == 0); // let the writer commit past the hole as it would live
        }
        at(4000);
        assertEquals(new RecordingQuality(0, 50, 0, 0, 0), finish(r));
    }

    @Test
    void audioArrivingAfterItsPlaceWasWrittenIsLate() throws Exception {
        StereoRecorder r = StereoRecorder.open(dir.resolve("late.wav"), writer, clock::get);
        for (int i = 0; i < 50; i++) {
            at(i * 20L);
            r.append(StereoRecorder.INMATE, i * 160L, packet(7), 0, 160);
            r.append(StereoRecorder.CALLED, i * 160L, packet(7), 0, 160);
        }
        at(2000); // both quiet for a second: well past the commit lag, the first second is in the file
        waitFor(() -> r.file().toFile().length() >= 44 + 8000 * 4);
        // Three packets of the first second, delivered a second late (a stalled event loop), one of them
        // straddling the committed edge: 20 ms frames rounded up per packet.
        r.append(StereoRecorder.INMATE, 0, packet(9), 0, 160);
        r.append(StereoRecorder.INMATE, 160, packet(9), 0, 160);
        r.append(StereoRecorder.CALLED, 7900, packet(9), 0, 160);
        waitFor(() -> r.quality().lateFrames() == 3);
        at(2100);
        assertEquals(new RecordingQuality(0, 0, 3, 0, 0), finish(r));
        assertEquals(3, writer.lateFrames());
    }
}
