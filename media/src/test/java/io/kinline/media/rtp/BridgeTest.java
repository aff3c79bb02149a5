package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.Bridge;
import io.kinline.media.MediaEvent;
import io.kinline.media.codec.Codec;
import io.kinline.media.prompt.Playlist;
import io.kinline.media.wav.WavReader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two endpoints bridged, each talking to an independent test peer over UDP on 127.0.0.1. */
class BridgeTest {

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

    /** A call: inmate peer A and called peer B, each with its endpoint. */
    static final class Call implements AutoCloseable {
        final RtpTestPeer a = new RtpTestPeer();
        final RtpTestPeer b = new RtpTestPeer();
        final Events evA = new Events();
        final Events evB = new Events();
        final RtpEndpoint ea;
        final RtpEndpoint eb;
        final InetSocketAddress toA;
        final InetSocketAddress toB;

        Call(String id, String offerA, String offerB) throws Exception {
            ea = (RtpEndpoint) engine.createEndpoint(id, "inmate", evA);
            eb = (RtpEndpoint) engine.createEndpoint(id, "called", evB);
            ea.answer(offerA == null ? a.offerG711() : offerA);
            eb.answer(offerB == null ? b.offerG711() : offerB);
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

    static String pcmaOffer(RtpTestPeer p) {
        return p.offer("8 101", "a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n");
    }

    @Test
    void bothEndpointsOfACallShareAnEventLoop() throws Exception {
        try (Call c = new Call("c-loop", null, null)) {
            assertTrue(c.ea.eventLoop() == c.eb.eventLoop());
        }
    }

    @Test
    void relaysSameCodecBothWaysRewritingHeaders() throws Exception {
        try (Call c = new Call("c-relay", null, null); Bridge br = engine.bridge(c.ea, c.eb)) {
            Thread.sleep(50);
            short[] toneA = TestPrompts.sine(400, 20, 5000);
            short[] toneB = TestPrompts.sine(1000, 20, 5000);
            for (int i = 0; i < 30; i++) {
                c.a.sendAudio(Codec.PCMU, toneA, c.toA);
                c.b.sendAudio(Codec.PCMU, toneB, c.toB);
                Thread.sleep(5);
            }
            Events.await(() -> c.b.received().size() == 30 && c.a.received().size() == 30,
                    "relayed " + c.b.received().size() + "/" + c.a.received().size());
            List<RtpTestPeer.Rx> atB = c.b.received();
            byte[] expected = new byte[160];
            Codec.PCMU.encode(toneA, 0, expected, 0, 160);
            for (int i = 0; i < atB.size(); i++) {
                RtpTestPeer.Rx r = atB.get(i);
                assertEquals(c.eb.ssrc(), r.ssrc(), "B sees the B endpoint's SSRC, not A's");
                assertEquals(0, r.pt());
                assertArrayEquals(expected, r.payload(), "payload copied through");
                assertEquals(i == 0, r.marker(), "marker only at the start of the relay");
                if (i > 0) {
                    assertEquals((atB.get(i - 1).seq() + 1) & 0xFFFF, r.seq());
                    assertEquals(160, (r.ts() - atB.get(i - 1).ts()) & 0xFFFFFFFFL);
                }
            }
            assertTrue(Dsp.power(c.a.received().get(5).decode(Codec.PCMU), 1000) > 1_000_000, "B's voice reaches A");
            // Loss upstream stays visible downstream: a skipped sequence number is a gap at B too.
            c.a.skip(160);
            c.a.sendAudio(Codec.PCMU, toneA, c.toA);
            Events.await(() -> c.b.received().size() == 31, "packet after the gap relayed");
            RtpTestPeer.Rx last = c.b.received().get(30);
            assertEquals((atB.get(29).seq() + 2) & 0xFFFF, last.seq());
        }
    }

    @Test
    void transcodesPcmuToPcma() throws Exception {
        try (Call c = new Call("c-transcode", null, null)) {
            c.eb.answer(pcmaOffer(c.b));
            assertEquals(Codec.PCMA, c.eb.codec());
            try (Bridge br = engine.bridge(c.ea, c.eb)) {
                Thread.sleep(50);
                short[] toneA = TestPrompts.sine(400, 20, 5000);
                short[] toneB = TestPrompts.sine(1000, 20, 5000);
                for (int i = 0; i < 20; i++) {
                    c.a.sendAudio(Codec.PCMU, toneA, c.toA);
                    c.b.sendAudio(Codec.PCMA, toneB, c.toB);
                    Thread.sleep(5);
                }
                Events.await(() -> c.b.received().size() == 20 && c.a.received().size() == 20, "relayed");
                for (RtpTestPeer.Rx r : c.b.received()) {
                    assertEquals(8, r.pt());
                    short[] got = r.decode(Codec.PCMA);
                    for (int k = 0; k < 160; k++) {
                        // Two G.711 quantisations: within a few percent of the original.
                        assertEquals(toneA[k], got[k], 32 + Math.abs(toneA[k]) * 0.08, "sample " + k);
                    }
                }
                for (RtpTestPeer.Rx r : c.a.received()) {
                    assertEquals(0, r.pt());
                    short[] got = r.decode(Codec.PCMU);
                    for (int k = 0; k < 160; k++) {
                        assertEquals(toneB[k], got[k], 32 + Math.abs(toneB[k]) * 0.08, "sample " + k);
                    }
                }
            }
        }
    }

    @Test
    void relaysTelephoneEventsWithMappedPayloadTypeAndReportsDigits() throws Exception {
        String offerB = null;
        try (Call c = new Call("c-te", null, null)) {
            c.eb.answer(c.b.offer("0 96", "a=rtpmap:0 PCMU/8000\r\na=rtpmap:96 telephone-event/8000\r\n"));
            try (Bridge br = engine.bridge(c.ea, c.eb)) {
                Thread.sleep(50);
                c.a.sendAudio(Codec.PCMU, new short[160], c.toA);
                c.a.sendEvent(101, 3, 60, c.toA);
                Events.await(() -> c.b.received(r -> r.pt() == 96).size() >= 5, "events relayed as PT 96");
                assertTrue(c.b.received(r -> r.pt() == 101).isEmpty());
                RtpTestPeer.Rx first = c.b.received(r -> r.pt() == 96).get(0);
                assertEquals(3, first.payload()[0]);
                assertEquals(c.eb.ssrc(), first.ssrc());
            }
        }
        assertTrue(offerB == null);
    }

    @Test
    void playbackThenRelayKeepsOneContinuousStream() throws Exception {
        try (Call c = new Call("c-cont", null, null)) {
            c.eb.play(Playlist.of("en", "tone-500-100"), false);
            c.evB.await(MediaEvent.PlaybackDone.class);
            Events.await(() -> c.b.received().size() == 5, "prompt frames");
            try (Bridge br = engine.bridge(c.ea, c.eb)) {
                Thread.sleep(50);
                for (int i = 0; i < 5; i++) {
                    c.a.sendAudio(Codec.PCMU, TestPrompts.sine(400, 20, 3000), c.toA);
                    Thread.sleep(10);
                }
                Events.await(() -> c.b.received().size() == 10, "relayed frames");
                List<RtpTestPeer.Rx> rx = c.b.received();
                RtpTestPeer.Rx lastPrompt = rx.get(4);
                RtpTestPeer.Rx firstRelay = rx.get(5);
                assertEquals(lastPrompt.ssrc(), firstRelay.ssrc());
                assertEquals((lastPrompt.seq() + 1) & 0xFFFF, firstRelay.seq(), "sequence continues into the relay");
                assertTrue(firstRelay.marker(), "marker at the change of source");
                long dts = (firstRelay.ts() - lastPrompt.ts()) & 0xFFFFFFFFL;
                assertTrue(dts >= 160 && dts < 8000 * 5, "timestamp moves forward with the wall clock: " + dts);
                assertFalse(rx.get(6).marker());
            }
        }
    }

    @Test
    void announcementIsHeardOnBothSidesWhileRelayContinues() throws Exception {
        try (Call c = new Call("c-announce", null, null); Bridge br = engine.bridge(c.ea, c.eb)) {
            Thread.sleep(50);
            short[] voiceA = TestPrompts.sine(400, 20, 4000);
            // A talks for 1.2 s; B is silent (sends nothing at all).
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 60; i++) {
                        c.a.sendAudio(Codec.PCMU, voiceA, c.toA);
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(200);
            br.announce(Playlist.of("en", "tone-1000-400"));
            MediaEvent.PlaybackDone done = c.evA.await(MediaEvent.PlaybackDone.class);
            assertFalse(done.interrupted());
            sender.join();
            Events.await(() -> c.b.received().size() >= 58, "relay went on: " + c.b.received().size());
            // B hears A's voice throughout, and the announcement mixed in for a while.
            long withBoth = c.b.received().stream().map(r -> r.decode(Codec.PCMU))
                    .filter(s -> Dsp.power(s, 1000) > 1_000_000 && Dsp.power(s, 400) > 1_000_000).count();
            assertTrue(withBoth >= 15, "announcement mixed into relayed audio in " + withBoth + " frames");
            long voiceOnly = c.b.received().stream().map(r -> r.decode(Codec.PCMU))
                    .filter(s -> Dsp.power(s, 400) > 1_000_000).count();
            assertTrue(voiceOnly >= 55, "relay continued during the announcement: " + voiceOnly);
            // A, whose partner is silent, hears the announcement alone.
            long annAtA = c.a.received().stream().map(r -> r.decode(Codec.PCMU))
                    .filter(s -> Dsp.power(s, 1000) > 1_000_000).count();
            assertTrue(annAtA >= 17, "announcement heard by A: " + annAtA);
            assertTrue(c.evB.of(MediaEvent.PlaybackDone.class).isEmpty(), "PlaybackDone only on the inmate side");
        }
    }

    @Test
    void recordsBothSidesIntoAlignedStereoWav(@TempDir Path dir) throws Exception {
        Path wav = dir.resolve("call.wav");
        try (Call c = new Call("c-record", null, null)) {
            c.eb.answer(pcmaOffer(c.b));
            RelayBridge br = (RelayBridge) engine.bridge(c.ea, c.eb);
            br.startRecording(wav);
            Thread.sleep(50);
            short[] voiceA = TestPrompts.sine(400, 20, 6000);
            short[] voiceB = TestPrompts.sine(1000, 20, 6000);
            for (int i = 0; i < 50; i++) {
                if (i >= 20 && i < 30) {
                    c.a.skip(160); // 200 ms lost on the inmate side
                } else {
                    c.a.sendAudio(Codec.PCMU, voiceA, c.toA);
                }
                c.b.sendAudio(Codec.PCMA, voiceB, c.toB);
                Thread.sleep(20);
            }
            Events.await(() -> c.b.received().size() == 40, "relay");
            Events.await(() -> br.recordedMillis() > 0, "recording progresses");
            var rec = br.recorder();
            br.stopRecording();
            br.stopRecording();
            rec.closeFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            br.close();
        }
        WavReader.Audio audio = WavReader.read(wav);
        assertEquals(2, audio.channels());
        short[] left = audio.channel(0);
        short[] right = audio.channel(1);
        int startL = firstLoud(left);
        int startR = firstLoud(right);
        assertTrue(startL >= 0 && startR >= 0, "both channels have audio");
        assertTrue(Math.abs(startL - startR) < 800, "channels aligned within 100 ms: " + startL + " vs " + startR);
        // Left is the inmate's 400 Hz, right the called party's 1000 Hz.
        assertTrue(Dsp.power(left, startL, 800, 400) > 1_000_000);
        assertTrue(Dsp.power(left, startL, 800, 1000) < 100_000);
        assertTrue(Dsp.power(right, startR, 800, 1000) > 1_000_000);
        assertTrue(Dsp.power(right, startR, 800, 400) < 100_000);
        // The 10 lost packets are 200 ms of silence on the left, 400-600 ms after its start.
        assertTrue(Dsp.rms(left, startL + 20 * 160 + 80, 10 * 160 - 160) < 50, "silence where packets were lost");
        assertTrue(Dsp.rms(left, startL + 10 * 160, 160 * 8) > 2000, "audio before the gap");
        assertTrue(Dsp.rms(left, startL + 31 * 160, 160 * 8) > 2000, "audio after the gap");
        assertTrue(Dsp.rms(right, startR + 20 * 160, 10 * 160) > 2000, "right channel continuous");
        assertTrue(Files.size(wav) > 44 + 50 * 160 * 4 * 0.9);
    }

    @Test
    void upstreamSsrcChangeKeepsTheDownstreamStreamContinuous() throws Exception {
        try (Call c = new Call("c-ssrc", null, null); Bridge br = engine.bridge(c.ea, c.eb)) {
            Thread.sleep(50);
            short[] v = TestPrompts.sine(400, 20, 3000);
            for (int i = 0; i < 5; i++) {
                c.a.sendAudio(Codec.PCMU, v, c.toA);
            }
            // The gateway restarts its stream: new SSRC, sequence and timestamp from elsewhere.
            byte[] payload = new byte[160];
            Codec.PCMU.encode(v, 0, payload, 0, 160);
            for (int i = 0; i < 5; i++) {
                c.a.sendRaw(RtpTestPeer.build(false, 0, 40000 + i, 999_999 + 160L * i, 0xABCDEFL, payload), c.toA);
            }
            Events.await(() -> c.b.received().size() == 10, "all relayed");
            List<RtpTestPeer.Rx> rx = c.b.received();
            for (int i = 1; i < 10; i++) {
                assertEquals(c.eb.ssrc(), rx.get(i).ssrc());
                assertEquals((rx.get(i - 1).seq() + 1) & 0xFFFF, rx.get(i).seq(), "no sequence jump at " + i);
                assertEquals(i == 5, rx.get(i).marker(), "marker exactly at the new upstream stream");
                long dts = (rx.get(i).ts() - rx.get(i - 1).ts()) & 0xFFFFFFFFL;
                assertTrue(dts >= 160 && dts < 80_000, "timestamp moves forward a little: " + dts);
            }
        }
    }

    private static int firstLoud(short[] s) {
        for (int i = 0; i < s.length; i++) {
            if (Math.abs(s[i]) > 1000) {
                return i;
            }
        }
        return -1;
    }
}
