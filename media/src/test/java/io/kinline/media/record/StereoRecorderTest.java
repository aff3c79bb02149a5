package io.kinline.media.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kinline.media.wav.WavException;
import io.kinline.media.wav.WavReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StereoRecorderTest {

    @TempDir
    Path dir;

    private RecordingWriter writer;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @BeforeEach
    void setUp() {
        writer = new RecordingWriter(2);
    }

    @AfterEach
    void tearDown() {
        writer.close();
    }

    private void advanceMillis(long ms) {
        clock.addAndGet(ms * 1_000_000L);
    }

    private static short[] packet(int value) {
        short[] p = new short[160];
        Arrays.fill(p, (short) value);
        return p;
    }

    private static WavReader.Audio finish(StereoRecorder r) throws Exception {
        r.close();
        r.closeFuture().get(20, TimeUnit.SECONDS);
        return WavReader.read(r.file());
    }

    @Test
    void channelsAnchoredAtArrivalAndPlacedByTimestamp() throws Exception {
        StereoRecorder r = StereoRecorder.open(dir.resolve("a.wav"), writer, clock::get);
        // Inmate starts at once; the called party's first packet arrives 100 ms later.
        for (int i = 0; i < 10; i++) {
            r.append(StereoRecorder.INMATE, 5000 + i * 160, packet(100 + i), 0, 160);
            if (i == 4) {
                advanceMillis(100);
                for (int k = 0; k < 10; k++) { // in real time: 20 ms apart
                    r.append(StereoRecorder.CALLED, 900_000 + k * 160, packet(-100 - k), 0, 160);
                    advanceMillis(20);
                }
            }
        }
        WavReader.Audio a = finish(r);
        assertEquals(2, a.channels());
        short[] left = a.channel(0);
        short[] right = a.channel(1);
        assertEquals(800 + 1600, a.frames()); // right ends at 100 ms + 200 ms
        for (int i = 0; i < 1600; i++) {
            assertEquals(100 + i / 160, left[i], "left " + i);
        }
        for (int i = 1600; i < a.frames(); i++) {
            assertEquals(0, left[i]);
        }
        for (int i = 0; i < 800; i++) {
            assertEquals(0, right[i], "right before its start " + i);
        }
        for (int i = 800; i < 2400; i++) {
            assertEquals(-100 - (i - 800) / 160, right[i], "right " + i);
        }
        assertEquals(300, r.recordedMillis());
    }

    @Test
    void lostPacketsBecomeSilenceAndLateOrDuplicatePacketsAreDropped() throws Exception {
        StereoRecorder r = StereoRecorder.open(dir.resolve("b.wav"), writer, clock::get);
        long ts = 0xFFFFFF00L; // also crosses the 32-bit wrap
        for (int i = 0; i < 20; i++) {
            if (i > 0) {
                advanceMillis(20); // a packet every 20 ms
            }
            if (i == 5 || i == 6) {
                continue; // lost
            }
            if (i == 9) {
                // 8 arrives after 9 (reordered), then 9 again (duplicate)
                r.append(0, ts + 9 * 160, packet(9), 0, 160);
                r.append(0, ts + 8 * 160, packet(8), 0, 160);
                r.append(0, ts + 9 * 160, packet(9), 0, 160);
                continue;
            }
            if (i == 8) {
                continue;
            }
            r.append(0, ts + i * 160, packet(i + 1 == 1 ? 1 : i), 0, 160);
        }
        WavReader.Audio a = finish(r);
        short[] left = a.channel(0);
        assertEquals(20 * 160, left.length);
        for (int i = 0; i < 20; i++) {
            int expected = (i == 5 || i == 6) ? 0 : i == 0 ? 1 : i;
            for (int k = 0; k < 160; k++) {
                assertEquals(expected, left[i * 160 + k], "packet " + i + " sample " + k);
            }
        }
    }

    @Test
    void packetForAudioAlreadyWrittenIsDropped() throws Exception {
        long openedAt = clock.get();
        StereoRecorder r = StereoRecorder.open(dir.resolve("late.wav"), writer, clock::get);
        for (int i = 0; i < 10; i++) {
            r.append(0, i * 160, packet(7), 0, 160);
            r.append(1, i * 160, packet(7), 0, 160);
            advanceMillis(20);
        }
        waitFor(() -> r.recordedMillis() >= 200);
        // Wait until the writer has committed (both channels passed 200 ms), then send a stale packet.
        waitFor(() -> r.file().toFile().length() >= 44 + 1600 * 4 || flushNow(r));
        r.append(0, 0, packet(99), 0, 160); // 200 ms late: its place is already in the file
        WavReader.Audio a = finish(r);
        short[] left = a.channel(0);
        for (int i = 0; i < 1600; i++) {
            assertEquals(7, left[i]);
        }
        // The clock was advanced past the audio to let the flush run: the rest, up to the close, is
        // trailing silence (never the stale packet's 99).
        assertEquals(Math.max(1600, (clock.get() - openedAt) / 125_000), a.frames());
        for (int i = 1600; i < left.length; i++) {
            assertEquals(0, left[i]);
        }
    }

    private boolean flushNow(StereoRecorder r) {
        advanceMillis(1000); // lets the periodic flush run
        return false;
    }

    @Test
    void absurdTimestampJumpReanchorsInsteadOfInsertingSilence() throws Exception {
        StereoRecorder r = StereoRecorder.open(dir.resolve("c.wav"), writer, clock::get);
        for (int i = 0; i < 5; i++) {
            r.append(0, 1000 + i * 160, packet(1), 0, 160);
        }
        advanceMillis(300);
        // Sender restarted with a timestamp 20 minutes ahead; 300 ms of real time have passed.
        for (int i = 0; i < 5; i++) {
            r.append(0, 1000 + 9_600_000L + i * 160, packet(2), 0, 160);
        }
        advanceMillis(100); // the restarted sender's 100 ms have passed when the call ends
        WavReader.Audio a = finish(r);
        short[] left = a.channel(0);
        assertEquals(2400 + 800, left.length); // re-anchored at its arrival, 300 ms in
        assertEquals(1, left[799]);
        assertEquals(0, left[800]);
        assertEquals(0, left[2399]);
        assertEquals(2, left[2400]);
        assertEquals(2, left[3199]);
    }

    @Test
    void senderWithSlowClockIsNotCutOff() throws Exception {
        StereoRecorder r = StereoRecorder.open(dir.resolve("drift.wav"), writer, clock::get);
        // The inmate's gateway clock runs 1 % slow: a 20 ms packet every 20.2 ms of our time. After a
        // minute its audio is 0.6 s behind the wall clock, more than the commit lag.
        int packets = 3000;
        int sent0 = 0;
        int sent1 = 0;
        for (long us = 0; sent0 < packets || sent1 < packets; us += 100) {
            clock.set(1_000_000_000L + us * 1000);
            if (sent1 < packets && us >= sent1 * 20_000L) {
                r.append(1, 777 + sent1 * 160L, packet(-3), 0, 160);
                sent1++;
            }
            if (sent0 < packets && us >= sent0 * 20_200L) {
                r.append(0, 1234 + sent0 * 160L, packet(3), 0, 160);
                sent0++;
            }
            if (us % 1_000_000 == 0) {
                waitFor(() -> r.queuedSamples() == 0); // simulated time runs far faster than real time
            }
        }
        WavReader.Audio a = finish(r);
        assertEquals(0, r.droppedSamples());
        for (int ch = 0; ch < 2; ch++) {
            int n = 0;
            for (short v : a.channel(ch)) {
                n += v != 0 ? 1 : 0;
            }
            assertEquals(packets * 160, n, "channel " + ch + " samples kept");
        }
    }

    @Test
    void fileIsValidWhileRecording() throws Exception {
        // Simulated clock, so that a stalled test thread on a loaded machine cannot make packets late.
        StereoRecorder r = StereoRecorder.open(dir.resolve("live.wav"), writer, clock::get);
        short[] left = new short[12_000];
        short[] right = new short[12_000];
        for (int i = 0; i < left.length; i++) {
            left[i] = (short) (i % 1000);
            right[i] = (short) -(i % 777);
        }
        for (int i = 0; i < left.length; i += 160) {
            r.append(0, i, left, i, 160);
            r.append(1, 77_000 + i, right, i, 160);
            advanceMillis(20);
        }
        advanceMillis(1500); // 1.5 s later: at least one flush is due
        // Wait (bounded) until a flush has put all of it in the file, while the recorder is still open.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        WavReader.Audio a = null;
        while (System.nanoTime() < deadline) {
            try {
                a = WavReader.read(r.file());
                if (a.frames() >= 12_000) {
                    break;
                }
            } catch (WavException e) {
                fail("file not valid while recording: " + e.getMessage());
            }
            Thread.sleep(50);
        }
        assertTrue(a != null && a.frames() >= 12_000, "flushed audio: " + (a == null ? 0 : a.frames()));
        short[] l = a.channel(0);
        short[] rr = a.channel(1);
        // The two channels may be offset by their arrival times (a few samples); find the start.
        int lo = firstNonZeroAfter(l, 1);
        int ro = firstNonZeroAfter(rr, 1);
        for (int i = 1; i < 11_000; i++) {
            assertEquals(left[i], l[lo - 1 + i], "left " + i);
            assertEquals(right[i], rr[ro - 1 + i], "right " + i);
        }
        r.close();
        r.closeFuture().get(20, TimeUnit.SECONDS);
    }

    private static int firstNonZeroAfter(short[] s, int from) {
        for (int i = 0; i < s.length; i++) {
            if (s[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void hundredsOfConcurrentRecorders() throws Exception {
        int calls = 300;
        int packets = 100; // 2 s per channel
        // Each call has its own simulated clock, advanced 20 ms a packet by its feeder: every call is in real
        // time however fast the feeders run.
        AtomicLong[] clocks = new AtomicLong[calls];
        List<StereoRecorder> recs = new ArrayList<>();
        try (RecordingWriter w = new RecordingWriter(3)) {
            for (int c = 0; c < calls; c++) {
                AtomicLong callClock = clocks[c] = new AtomicLong();
                recs.add(StereoRecorder.open(dir.resolve("call-" + c + ".wav"), w, callClock::get));
            }
            ExecutorService feeders = Executors.newFixedThreadPool(4);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                fs.add(feeders.submit(() -> {
                    short[] buf = new short[160];
                    for (int p = 0; p < packets; p++) {
                        for (int c = thread; c < calls; c += 4) {
                            for (int ch = 0; ch < 2; ch++) {
                                Arrays.fill(buf, value(c, ch, p));
                                recs.get(c).append(ch, 3000L * c + p * 160L, buf, 0, 160);
                            }
                            clocks[c].addAndGet(20_000_000L);
                        }
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            feeders.shutdown();
            for (StereoRecorder r : recs) {
                r.close();
            }
            for (StereoRecorder r : recs) {
                r.closeFuture().get(60, TimeUnit.SECONDS);
            }
            waitFor(() -> w.activeRecorders() == 0);
        }
        for (int c = 0; c < calls; c++) {
            WavReader.Audio a = WavReader.read(recs.get(c).file());
            assertEquals(packets * 160, a.frames(), "call " + c);
            assertEquals(0, recs.get(c).droppedSamples());
            for (int ch = 0; ch < 2; ch++) {
                short[] s = a.channel(ch);
                for (int p = 0; p < packets; p++) {
                    assertEquals(value(c, ch, p), s[p * 160], "call " + c + " ch " + ch + " packet " + p);
                    assertEquals(value(c, ch, p), s[p * 160 + 159]);
                }
            }
        }
    }

    private static short value(int call, int ch, int packet) {
        int v = (call * 131 + packet * 7) % 30000 + 1;
        return (short) (ch == 0 ? v : -v);
    }

    @Test
    void realClock() throws Exception {
        StereoRecorder r = StereoRecorder.open(dir.resolve("real.wav"), writer);
        long start = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            sleepUntil(start + i * 20_000_000L); // paced like a sender: the file lasts as long as the call
            r.append(0, i * 160L, packet(11), 0, 160);
            r.append(1, 99_999 + i * 160L, packet(-11), 0, 160);
        }
        sleepUntil(start + 1_050_000_000L);
        WavReader.Audio a = finish(r);
        assertEquals(2, a.channels());
        assertTrue(a.frames() >= 8000, "frames " + a.frames());
        // Real time: both channels anchor at their arrival (within a few ms of each other), and all
        // of each channel's audio is there, contiguous.
        for (int ch = 0; ch < 2; ch++) {
            short[] s = a.channel(ch);
            int first = 0;
            while (first < s.length && s[first] == 0) {
                first++;
            }
            assertTrue(first + 8000 <= s.length, "channel " + ch + " starts at " + first);
            for (int i = first; i < first + 8000; i++) {
                assertEquals(ch == 0 ? 11 : -11, s[i], "channel " + ch + " frame " + i);
            }
        }
        assertTrue(r.recordedMillis() >= 1000);
    }

    @Test
    void recordingLastsUntilStoppedEvenWithoutAudio() throws Exception {
        // Nobody sent RTP after the bridge (or nothing at all): the file still spans the recorded time.
        StereoRecorder silent = StereoRecorder.open(dir.resolve("silent.wav"), writer, clock::get);
        StereoRecorder trailing = StereoRecorder.open(dir.resolve("trailing.wav"), writer, clock::get);
        trailing.append(StereoRecorder.INMATE, 0, packet(7), 0, 160);
        advanceMillis(1500);
        WavReader.Audio a = finish(silent);
        assertEquals(12_000, a.frames());
        for (short v : a.samples()) {
            assertEquals(0, v);
        }
        WavReader.Audio b = finish(trailing);
        assertEquals(12_000, b.frames());
        assertEquals(7, b.channel(0)[159]);
        assertEquals(0, b.channel(0)[160]);
    }

    @Test
    void closeIsIdempotentAndAppendAfterCloseIgnored() throws Exception {
        StereoRecorder r = StereoRecorder.open(dir.resolve("d.wav"), writer, clock::get);
        r.append(0, 0, packet(5), 0, 160);
        r.close();
        r.close();
        r.append(0, 160, packet(6), 0, 160);
        r.closeFuture().get(20, TimeUnit.SECONDS);
        r.close();
        assertEquals(160, WavReader.read(r.file()).frames());
    }

    @Test
    void writerCloseFinalizesOpenRecordings() throws Exception {
        RecordingWriter w = new RecordingWriter(1);
        StereoRecorder r = StereoRecorder.open(dir.resolve("e.wav"), w, clock::get);
        r.append(1, 0, packet(3), 0, 160);
        w.close();
        assertTrue(r.closeFuture().isDone());
        assertEquals(160, WavReader.read(r.file()).frames());
        assertThrows(IllegalStateException.class, () -> StereoRecorder.open(dir.resolve("f.wav"), w));
    }

    @Test
    void rejectsBadArguments() throws IOException {
        StereoRecorder r = StereoRecorder.open(dir.resolve("g.wav"), writer, clock::get);
        assertThrows(IllegalArgumentException.class, () -> r.append(2, 0, packet(1), 0, 160));
        assertThrows(IllegalArgumentException.class, () -> r.append(0, 0, new short[9000], 0, 9000));
        r.close();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not met within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
