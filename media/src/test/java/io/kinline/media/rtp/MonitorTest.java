package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.Bridge;
import io.kinline.media.MonitorSink;
import io.kinline.media.MonitorTap;
import io.kinline.media.codec.Codec;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live monitoring of a bridge, with both parties as real UDP peers on 127.0.0.1. */
class MonitorTest {

    static NettyMediaEngine engine;

    @BeforeAll
    static void start() {
        LeakWatch.install();
        engine = NettyMediaEngine.create(EndpointTest.testConfig(), new TestPrompts());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        engine.close();
        LeakWatch.assertNoLeaks();
    }

    /** A bridged call: inmate peer A and called peer B, each with its endpoint. */
    static final class Call implements AutoCloseable {
        final RtpTestPeer a = new RtpTestPeer();
        final RtpTestPeer b = new RtpTestPeer();
        final RtpEndpoint ea;
        final RtpEndpoint eb;
        final InetSocketAddress toA;
        final InetSocketAddress toB;

        Call(String id, String offerA, String offerB) throws Exception {
            ea = (RtpEndpoint) engine.createEndpoint(id, "inmate", new Events());
            eb = (RtpEndpoint) engine.createEndpoint(id, "called", new Events());
            ea.answer(a.offerG711());
            eb.answer(b.offerG711());
            toA = new InetSocketAddress("127.0.0.1", ea.localAddress().getPort());
            toB = new InetSocketAddress("127.0.0.1", eb.localAddress().getPort());
        }

        @Override
        public void close() {
            ea.close();
            eb.close();
            a.close();
            b.close();
        }
    }

    /** Keeps copies of the frames; optionally refuses them (a slow consumer). */
    static final class Collector implements MonitorSink {
        final List<short[]> frames = new CopyOnWriteArrayList<>();
        final List<Boolean> closed = new CopyOnWriteArrayList<>();
        final AtomicInteger afterClose = new AtomicInteger();
        final boolean accept;

        Collector(boolean accept) {
            this.accept = accept;
        }

        @Override
        public boolean onFrame(short[] pcm, int off, int len) {
            if (!closed.isEmpty()) {
                afterClose.incrementAndGet();
            }
            assertEquals(MonitorSink.FRAME_SAMPLES, len);
            if (accept) {
                frames.add(Arrays.copyOfRange(pcm, off, off + len));
            }
            return accept;
        }

        @Override
        public void onClosed(boolean bridgeClosed) {
            closed.add(bridgeClosed);
        }

        short[] all() {
            List<short[]> f = new ArrayList<>(frames);
            short[] out = new short[f.size() * MonitorSink.FRAME_SAMPLES];
            for (int i = 0; i < f.size(); i++) {
                System.arraycopy(f.get(i), 0, out, i * MonitorSink.FRAME_SAMPLES, MonitorSink.FRAME_SAMPLES);
            }
            return out;
        }
    }

    /** Both peers talk for {@code frames} x 20 ms, paced roughly in real time. */
    static void talk(Call c, int frames, short[] toneA, short[] toneB) throws Exception {
        for (int i = 0; i < frames; i++) {
            if (toneA != null) {
                c.a.sendAudio(Codec.PCMU, toneA, c.toA);
            }
            if (toneB != null) {
                c.b.sendAudio(Codec.PCMU, toneB, c.toB);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void listenerHearsBothPartiesAndThePartiesHearExactlyWhatTheyWouldWithout() throws Exception {
        try (Call c = new Call("m-both", null, null); Bridge br = engine.bridge(c.ea, c.eb)) {
            Collector listener = new Collector(true);
            MonitorTap tap = br.monitor(listener);
            Thread.sleep(50);
            short[] toneA = TestPrompts.sine(400, 20, 6000);
            short[] toneB = TestPrompts.sine(1000, 20, 6000);
            talk(c, 50, toneA, toneB);
            Events.await(() -> c.b.received().size() == 50 && c.a.received().size() == 50,
                    "relayed " + c.b.received().size() + "/" + c.a.received().size());
            Events.await(() -> Dsp.power(listener.all(), 400) > 100_000 && Dsp.power(listener.all(), 1000) > 100_000,
                    "listener hears both voices");
            short[] heard = listener.all();
            assertTrue(Dsp.power(heard, 400) > 0.2 * Dsp.power(heard, 1000), "inmate's voice as loud as the called's");
            assertTrue(Dsp.power(heard, 1000) > 0.2 * Dsp.power(heard, 400));
            assertTrue(Dsp.power(heard, 2500) < 1000, "no other tones");

            // The parties: no packet more than was relayed, payloads copied through untouched.
            Thread.sleep(200);
            assertEquals(50, c.b.received().size(), "the monitor sends nothing to the called party");
            assertEquals(50, c.a.received().size(), "the monitor sends nothing to the inmate");
            byte[] expected = new byte[160];
            Codec.PCMU.encode(toneA, 0, expected, 0, 160);
            for (RtpTestPeer.Rx r : c.b.received()) {
                assertArrayEquals(expected, r.payload());
                assertEquals(c.eb.ssrc(), r.ssrc());
            }
            // Frames keep coming while nobody speaks (silence), so a player never starves.
            int n = listener.frames.size();
            Events.await(() -> listener.frames.size() > n + 10, "frames continue in silence");
            short[] last = listener.frames.get(listener.frames.size() - 1);
            assertEquals(0, Dsp.rms(last, 0, last.length), 0.0, "silence is zeros");
            assertTrue(tap.deliveredFrames() >= listener.frames.size() - 1);
            assertEquals(0, tap.droppedFrames());
        }
    }

    @Test
    void severalMonitorsCloseIndependentlyAndTheBridgeClosesTheRest() throws Exception {
        try (Call c = new Call("m-several", null, null)) {
            Bridge br = engine.bridge(c.ea, c.eb);
            Collector one = new Collector(true);
            Collector two = new Collector(true);
            MonitorTap t1 = br.monitor(one);
            MonitorTap t2 = br.monitor(two);
            Events.await(() -> one.frames.size() > 5 && two.frames.size() > 5, "both get frames");
            t1.close();
            t1.close(); // idempotent
            Events.await(() -> one.closed.equals(List.of(false)), "first closed by its owner: " + one.closed);
            assertTrue(t1.isClosed());
            int oneCount = one.frames.size();
            int twoCount = two.frames.size();
            Events.await(() -> two.frames.size() > twoCount + 5, "the second goes on");
            assertEquals(oneCount, one.frames.size(), "no frames after close");
            assertFalse(t2.isClosed());

            br.close();
            Events.await(() -> two.closed.equals(List.of(true)), "bridge close ends the second: " + two.closed);
            assertEquals(List.of(false), one.closed, "onClosed exactly once");
            Thread.sleep(100);
            assertEquals(0, one.afterClose.get() + two.afterClose.get(), "no frame after onClosed");
            assertThrows(IllegalStateException.class, () -> br.monitor(new Collector(true)));
        }
    }

    @Test
    void aSlowConsumerDropsFramesAndTheyAreCounted() throws Exception {
        try (Call c = new Call("m-slow", null, null); Bridge br = engine.bridge(c.ea, c.eb)) {
            Collector slow = new Collector(false);
            MonitorTap tap = br.monitor(slow);
            Thread.sleep(50); // the bridge links the endpoints on their loop
            talk(c, 10, TestPrompts.sine(400, 20, 6000), null);
            Events.await(() -> tap.droppedFrames() >= 10, "drops counted: " + tap.droppedFrames());
            assertEquals(0, tap.deliveredFrames());
            Events.await(() -> c.b.received().size() == 10, "relay unaffected");
            tap.close();
        }
    }

    @Test
    void monitoringAndRecordingShareTheTaps(@TempDir Path dir) throws Exception {
        try (Call c = new Call("m-rec", null, null); Bridge br = engine.bridge(c.ea, c.eb)) {
            br.startRecording(dir.resolve("r.wav"));
            Collector listener = new Collector(true);
            MonitorTap tap = br.monitor(listener);
            Thread.sleep(50);
            short[] toneA = TestPrompts.sine(400, 20, 6000);
            talk(c, 10, toneA, null);
            Events.await(() -> Dsp.power(listener.all(), 400) > 100_000, "heard while recording");
            br.stopRecording(); // must not remove the monitor's tap
            listener.frames.clear();
            talk(c, 25, toneA, null);
            Events.await(() -> Dsp.power(listener.all(), 400) > 100_000, "still heard after recording stopped");
            tap.close();
            // and recording still works after the monitor left
            br.startRecording(dir.resolve("r2.wav"));
            talk(c, 10, toneA, null);
            Events.await(() -> br.recordedMillis() > 0, "recording after monitoring");
        }
    }

    @Test
    void announcementsReachTheListener() throws Exception {
        try (Call c = new Call("m-ann", null, null); Bridge br = engine.bridge(c.ea, c.eb)) {
            Collector listener = new Collector(true);
            MonitorTap tap = br.monitor(listener);
            br.announce(io.kinline.media.prompt.Playlist.of("en", "tone-1000-400"));
            Events.await(() -> Dsp.power(listener.all(), 1000) > 10_000, "announcement heard by the listener");
            tap.close();
        }
    }

    @Test
    void fifoPlacesAudioByTimestamp() {
        MonitorMixer.PcmFifo f = new MonitorMixer.PcmFifo();
        short[] ones = new short[160];
        Arrays.fill(ones, (short) 1);
        short[] out = new short[160];
        f.put(1000, ones, 0, 160);
        f.take(out);
        assertEquals(0, out[0], "prebuffering: 40 ms before playout");
        f.put(1160, ones, 0, 160);
        f.put(1160, ones, 0, 160); // duplicate: dropped
        assertEquals(320, f.size());
        f.put(1480, ones, 0, 160); // one packet lost: 160 samples of silence first
        assertEquals(640, f.size());
        f.take(out);
        assertEquals(1, out[159]);
        f.take(out);
        assertEquals(1, out[0]);
        f.take(out);
        assertEquals(0, out[0], "the lost packet is silence");
        f.take(out);
        assertEquals(1, out[0]);
        f.put(1640 - 80, ones, 0, 160); // half overlaps what was played: only the new half is kept
        assertEquals(80, f.size());
        f.put(500_000, ones, 0, 160); // a jump (silence suppression, new SSRC): appended, no gap filled
        assertEquals(240, f.size());
        for (int i = 0; i < 20; i++) {
            f.put(500_160 + i * 160L, ones, 0, 160);
        }
        assertTrue(f.size() <= MonitorMixer.PcmFifo.MAX_FILL, "backlog cut back: " + f.size());
    }
}
