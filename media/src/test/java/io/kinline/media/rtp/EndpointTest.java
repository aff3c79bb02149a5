package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaConfig;
import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEvent;
import io.kinline.media.codec.Codec;
import io.kinline.media.dtmf.Rfc4733;
import io.kinline.media.prompt.Playlist;
import io.kinline.media.wav.WavReader;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint against an independent test peer over real UDP on 127.0.0.1, driven by a clock: the
 * engine's time is {@link #clock} and its endpoints tick only when the test {@link #advance}s it, so
 * playback, DTMF, RTCP and the media timeout run in test time and nothing here sleeps. (Waits below only
 * poll for datagrams in flight on loopback.)
 */
public class EndpointTest {

    static NettyMediaEngine engine;
    static final AtomicLong clock = new AtomicLong(TimeUnit.SECONDS.toNanos(1));

    public static MediaConfig testConfig() {
        // Below Linux's ephemeral range (32768+), so test peers' sockets never sit in ours.
        int base = 21000 + 2 * ThreadLocalRandom.current().nextInt(0, 5000);
        return MediaConfig.builder().portRange(base, base + 399).mediaTimeout(Duration.ofMillis(1000))
                .rtcpInterval(Duration.ofMillis(300)).eventLoopThreads(2).build();
    }

    @BeforeAll
    static void start() {
        LeakWatch.install();
        engine = NettyMediaEngine.withClock(testConfig(), new TestPrompts(), clock::get);
    }

    /**
     * Lets {@code millis} of test time pass, ticking every endpoint each 10 ms as the engine's ticker
     * does. Work already handed to the loops (an answer, a play) runs first, at the current time.
     */
    static void advance(int millis) {
        for (int t = 0; t < millis; t += 10) {
            engine.settle();
            clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            engine.tick();
        }
    }

    /** Waits until every RTP packet {@code ep} has sent so far has reached {@code peers}. */
    static void allArrived(MediaEndpoint ep, RtpTestPeer... peers) {
        Events.await(() -> {
            int got = 0;
            for (RtpTestPeer p : peers) {
                got += p.received().size();
            }
            return got == ep.statistics().packetsSent();
        }, "packets sent by " + ep + " still in flight: " + ep.statistics());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        engine.close();
        LeakWatch.assertNoLeaks();
    }

    static Playlist tone(int hz, int ms) {
        return Playlist.of("en", "tone-" + hz + "-" + ms);
    }

    @Test
    void endpointPortsAreEvenWithRtcpOnTheNext() throws Exception {
        Events ev = new Events();
        try (MediaEndpoint ep = engine.createEndpoint("c-ports", "inmate", ev)) {
            int p = ep.localAddress().getPort();
            assertEquals(0, p % 2);
            // Both the RTP and the RTCP port are held by the engine.
            for (int port : new int[] {p, p + 1}) {
                boolean bound = false;
                try (var s = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                    bound = true;
                } catch (java.net.SocketException expected) {
                    // in use, as it should be
                }
                assertFalse(bound, "port " + port + " should be in use");
            }
        }
    }

    @Test
    void playbackIsContinuousWithMarkerAtEachChange() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-play", "inmate", ev)) {
            String answer = ep.answer(peer.offerG711());
            assertTrue(answer.contains("m=audio " + ep.localAddress().getPort() + " RTP/AVP 0 101"), answer);
            ep.play(tone(1000, 200), false);
            advance(200);
            ev.await(MediaEvent.PlaybackDone.class);
            assertFalse(ev.of(MediaEvent.PlaybackDone.class).get(0).interrupted());
            Events.await(() -> peer.received().size() >= 10, "first playback not received");
            advance(100);
            ep.play(Playlist.in("en").prompt("tone-500-100").silence(40).build(), false);
            advance(140);
            Events.await(() -> ev.of(MediaEvent.PlaybackDone.class).size() == 2, "second playback not done");
            advance(100);
            allArrived(ep, peer);

            List<RtpTestPeer.Rx> rx = peer.received();
            assertEquals(10 + 7, rx.size(), "200 ms + 140 ms of 20 ms frames");
            long ssrc = rx.get(0).ssrc();
            assertTrue(rx.get(0).marker(), "first packet of a stream has the marker");
            for (int i = 1; i < rx.size(); i++) {
                RtpTestPeer.Rx a = rx.get(i - 1);
                RtpTestPeer.Rx b = rx.get(i);
                assertEquals(ssrc, b.ssrc());
                assertEquals(2, b.version());
                assertEquals(0, b.pt());
                assertEquals(160, b.payload().length);
                assertEquals((a.seq() + 1) & 0xFFFF, b.seq(), "sequence continues at " + i);
                long dts = (b.ts() - a.ts()) & 0xFFFFFFFFL;
                if (i == 10) {
                    assertTrue(b.marker(), "marker on the first packet of the second playlist");
                    assertTrue(dts >= 160 + 400, "timestamp advanced by the wall-clock pause: " + dts);
                } else {
                    assertFalse(b.marker(), "no marker inside a playlist at " + i);
                    assertEquals(160, dts, "timestamp continues at " + i);
                }
            }
            short[] first = rx.get(3).decode(Codec.PCMU);
            assertTrue(Dsp.power(first, 1000) > 1_000_000, "the 1 kHz prompt is what arrives");
        }
    }

    @Test
    void latchesToFirstSourceAndDropsOthers() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer sdpPeer = new RtpTestPeer(); RtpTestPeer natPeer = new RtpTestPeer();
                RtpEndpoint ep = (RtpEndpoint) engine.createEndpoint("c-latch", "inmate", ev)) {
            ep.answer(sdpPeer.offerG711());
            ep.play(tone(1000, 5000), false);
            advance(60);
            Events.await(() -> sdpPeer.received().size() >= 3, "before latching we send to the SDP address");
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            short[] frame = TestPrompts.sine(400, 20, 4000);
            for (int i = 0; i < 5; i++) {
                natPeer.sendAudio(Codec.PCMU, frame, to);
            }
            Events.await(() -> ep.statistics().packetsReceived() == 5, "the NAT peer's packets taken");
            advance(60);
            Events.await(() -> natPeer.received().size() >= 3, "after latching we send to the real source");
            allArrived(ep, sdpPeer, natPeer);
            int before = sdpPeer.received().size();
            for (int i = 0; i < 7; i++) {
                sdpPeer.sendAudio(Codec.PCMU, frame, to);
            }
            Events.await(() -> ep.droppedForeign() == 7, "foreign packets dropped and counted: " + ep.droppedForeign());
            advance(100);
            allArrived(ep, sdpPeer, natPeer);
            assertTrue(sdpPeer.received().size() <= before + 1, "nothing more goes to the unlatched address");
            assertEquals(5, ep.statistics().packetsReceived(), "only the latched source counts");
        }
    }

    @Test
    void garbageDoesNotBreakTheEndpoint() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); RtpEndpoint ep = (RtpEndpoint) engine.createEndpoint("c-junk", "inmate", ev)) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            InetSocketAddress rtcpTo = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort() + 1);
            // Before negotiation and after: random bytes, truncated headers, wrong version, RTCP junk.
            peer.sendRaw(new byte[] {1, 2, 3}, to);
            ep.answer(peer.offerG711());
            var rnd = ThreadLocalRandom.current();
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[rnd.nextInt(0, 300)];
                rnd.nextBytes(junk);
                if (junk.length > 0 && i % 2 == 0) {
                    junk[0] = (byte) (0x80 | (junk[0] & 0x3F)); // version 2 with random flags
                }
                if (i % 3 == 0 && junk.length > 12) {
                    junk[1] = (byte) 0xC8; // looks like an RTCP SR on the RTP port
                }
                peer.sendRaw(junk, to);
                peer.sendRtcpRaw(junk, rtcpTo);
            }
            // A truncated extension header and bad padding must be rejected too.
            byte[] ext = RtpTestPeer.build(false, 0, 1, 1, 1, new byte[0]);
            ext[0] |= 0x10;
            peer.sendRaw(ext, to);
            ep.play(tone(1000, 100), false);
            advance(100);
            ev.await(MediaEvent.PlaybackDone.class);
            Events.await(() -> peer.received().size() >= 5, "the endpoint still works");
        }
    }

    @Test
    void bargeInStopsPlaybackOnDigit() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-barge", "inmate", ev)) {
            ep.answer(peer.offerG711());
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            ep.play(tone(1000, 10_000), true);
            advance(100);
            Events.await(() -> peer.received().size() >= 5, "playback started");
            peer.sendAudio(Codec.PCMU, new short[160], to);
            peer.sendEvent(101, 5, 100, to, () -> advance(20));
            MediaEvent.Digit d = ev.await(MediaEvent.Digit.class);
            assertEquals('5', d.digit());
            MediaEvent.PlaybackDone done = ev.await(MediaEvent.PlaybackDone.class);
            assertTrue(done.interrupted());
            advance(200);
            allArrived(ep, peer);
            int n = peer.received().size();
            advance(200);
            allArrived(ep, peer);
            assertEquals(n, peer.received().size(), "no more prompt audio after barge-in");
        }
    }

    @Test
    void playbackWithoutBargeInIgnoresDigits() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-nobarge", "inmate", ev)) {
            ep.answer(peer.offerG711());
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            ep.play(tone(1000, 600), false);
            peer.sendAudio(Codec.PCMU, new short[160], to);
            peer.sendEvent(101, 7, 80, to, () -> advance(20));
            ev.await(MediaEvent.Digit.class);
            advance(600);
            MediaEvent.PlaybackDone done = ev.await(MediaEvent.PlaybackDone.class);
            assertFalse(done.interrupted(), "without barge-in the prompt plays to its end");
        }
    }

    @Test
    void mediaTimeoutFiresOnceWhenPeerGoesSilent() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-timeout", "inmate", ev)) {
            ep.answer(peer.offerG711());
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            for (int i = 0; i < 10; i++) {
                peer.sendAudio(Codec.PCMU, new short[160], to);
                int sent = i + 1;
                Events.await(() -> ep.statistics().packetsReceived() == sent, "packet " + sent + " taken");
                advance(20);
            }
            advance(1000);
            MediaEvent.MediaTimeout t = ev.await(MediaEvent.MediaTimeout.class);
            assertTrue(t.silentMillis() >= 1000, "reported after the configured 1 s: " + t.silentMillis());
            advance(1500);
            assertEquals(1, ev.of(MediaEvent.MediaTimeout.class).size(), "raised once");
        }
    }

    @Test
    void noMediaTimeoutWhilePeerIsInactive() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-hold-timeout", "inmate", ev);
                MediaEndpoint held = engine.createEndpoint("c-hold-timeout2", "inmate", ev)) {
            String answer = ep.answer(peer.offer("0", "a=rtpmap:0 PCMU/8000\r\na=inactive\r\n"));
            assertTrue(answer.contains("a=inactive"), answer);
            String heldAnswer = held.answer(peer.offer("0", "a=rtpmap:0 PCMU/8000\r\na=sendonly\r\n"));
            assertTrue(heldAnswer.contains("a=recvonly"), heldAnswer);
            advance(2000);
            assertTrue(ev.of(MediaEvent.MediaTimeout.class).isEmpty(), "held and inactive legs do not time out");
            // Taking the hold off arms the timeout again.
            held.answer(peer.offerG711());
            advance(1000);
            ev.await(MediaEvent.MediaTimeout.class);
        }
    }

    @Test
    void holdStopsSendingAndUnholdResumesContinuously() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-hold", "inmate", ev)) {
            ep.answer(peer.offerG711());
            ep.play(tone(1000, 10_000), false);
            advance(100);
            Events.await(() -> peer.received().size() >= 5, "playing");
            String holdAnswer = ep.answer(peer.offer("0 101", "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendonly\r\n"));
            assertTrue(holdAnswer.contains("a=recvonly"), holdAnswer);
            advance(150);
            allArrived(ep, peer);
            int n = peer.received().size();
            advance(300);
            allArrived(ep, peer);
            assertEquals(n, peer.received().size(), "nothing sent while held");
            String unhold = ep.answer(peer.offerG711());
            assertTrue(unhold.contains("a=sendrecv"), unhold);
            advance(100);
            // The o= version went up on each changed answer.
            assertNotEquals(holdAnswer.lines().filter(l -> l.startsWith("o=")).findFirst().orElseThrow(),
                    unhold.lines().filter(l -> l.startsWith("o=")).findFirst().orElseThrow());
            Events.await(() -> peer.received().size() >= n + 5, "sending resumes after unhold");
            List<RtpTestPeer.Rx> rx = peer.received();
            RtpTestPeer.Rx last = rx.get(n - 1);
            RtpTestPeer.Rx resumed = rx.get(n);
            assertEquals((last.seq() + 1) & 0xFFFF, resumed.seq(), "no sequence gap across hold");
            assertEquals(last.ssrc(), resumed.ssrc());
        }
    }

    @Test
    void rtcpReportsLossAndStatisticsCountIt() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); RtpEndpoint ep = (RtpEndpoint) engine.createEndpoint("c-rtcp", "inmate", ev)) {
            ep.answer(peer.offerG711());
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            short[] frame = TestPrompts.sine(400, 20, 3000);
            for (int i = 0; i < 60; i++) {
                if (i % 10 == 5) {
                    peer.skip(160); // 6 packets lost
                } else {
                    peer.sendAudio(Codec.PCMU, frame, to);
                }
            }
            Events.await(() -> ep.statistics().packetsReceived() == 54, "received count " + ep.statistics());
            assertEquals(6, ep.statistics().packetsLost());
            assertEquals(6 / 59.0, ep.statistics().lossFraction(), 0.02);
            // The peer gets an RTCP report whose block about its SSRC says 6 lost.
            advance(500); // the report interval is 300 ms, randomised to at most 450
            Events.await(() -> peer.rtcpReceived().stream().anyMatch(r -> reportedLost(r, peer.ssrc) == 6),
                    "no RTCP report with 6 lost");
            ev.await(MediaEvent.Statistics.class);
            // A receiver report from the peer about the endpoint's stream is parsed.
            byte[] rr = new byte[32];
            rr[0] = (byte) 0x81;
            rr[1] = (byte) 201;
            rr[3] = 7;
            putInt(rr, 4, peer.ssrc);
            putInt(rr, 8, ep.ssrc());
            rr[12] = 64;
            rr[15] = 3; // 3 lost
            peer.sendRtcpRaw(rr, new InetSocketAddress("127.0.0.1", ep.localAddress().getPort() + 1));
            Events.await(() -> ep.remoteReport() != null && ep.remoteReport().cumulativeLost() == 3, "peer RR parsed");
        }
    }

    static void putInt(byte[] b, int off, long v) {
        b[off] = (byte) (v >> 24);
        b[off + 1] = (byte) (v >> 16);
        b[off + 2] = (byte) (v >> 8);
        b[off + 3] = (byte) v;
    }

    /** Independent RTCP walk: the cumulative loss the first SR/RR block about {@code ssrc} reports, or -1. */
    static long reportedLost(byte[] r, long ssrc) {
        int i = 0;
        while (i + 8 <= r.length) {
            int pt = r[i + 1] & 0xFF;
            int len = (((r[i + 2] & 0xFF) << 8) | (r[i + 3] & 0xFF)) * 4 + 4;
            int rc = r[i] & 0x1F;
            int blocks = i + (pt == 200 ? 28 : 8);
            if (pt == 200 || pt == 201) {
                for (int k = 0; k < rc; k++) {
                    int b = blocks + 24 * k;
                    long s = ((r[b] & 0xFFL) << 24) | ((r[b + 1] & 0xFFL) << 16) | ((r[b + 2] & 0xFFL) << 8) | (r[b + 3] & 0xFFL);
                    if (s == ssrc) {
                        return ((r[b + 5] & 0xFF) << 16) | ((r[b + 6] & 0xFF) << 8) | (r[b + 7] & 0xFF);
                    }
                }
            }
            i += len;
        }
        return -1;
    }

    @Test
    void sendDtmfProducesRfc4733Events() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-senddtmf", "called", ev)) {
            ep.answer(peer.offer("8 96", "a=rtpmap:8 PCMA/8000\r\na=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-15\r\n"));
            assertEquals(Codec.PCMA, ep.codec());
            ep.sendDtmf('#', 120);
            advance(200);
            Events.await(() -> peer.received(r -> r.pt() == 96 && (r.payload()[1] & 0x80) != 0).size() == 3,
                    "three end packets");
            List<RtpTestPeer.Rx> evs = peer.received(r -> r.pt() == 96);
            assertTrue(evs.get(0).marker(), "start packet has the marker");
            long ts = evs.get(0).ts();
            int lastDuration = 0;
            for (int i = 0; i < evs.size(); i++) {
                RtpTestPeer.Rx r = evs.get(i);
                assertEquals(4, r.payload().length);
                assertEquals(Rfc4733.eventFor('#'), r.payload()[0] & 0xFF);
                assertEquals(ts, r.ts(), "one timestamp for the whole event");
                int dur = ((r.payload()[2] & 0xFF) << 8) | (r.payload()[3] & 0xFF);
                assertTrue(dur >= lastDuration, "duration never shrinks");
                lastDuration = dur;
                if (i > 0) {
                    assertFalse(r.marker());
                    assertEquals((evs.get(i - 1).seq() + 1) & 0xFFFF, r.seq());
                }
            }
            assertEquals(960, lastDuration, "120 ms at 8 kHz");
            assertEquals(3 + 6, evs.size(), "six updates (20 ms) and three end packets");
        }
    }

    @Test
    void sendDtmfInBandWithoutTelephoneEvent() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-inband", "called", ev)) {
            ep.answer(peer.offer("0", "a=rtpmap:0 PCMU/8000\r\n"));
            ep.sendDtmf('5', 100);
            advance(200);
            Events.await(() -> peer.received().size() >= 7, "tone frames");
            allArrived(ep, peer);
            List<RtpTestPeer.Rx> rx = peer.received();
            assertTrue(rx.stream().allMatch(r -> r.pt() == 0), "audio only");
            short[] f = rx.get(1).decode(Codec.PCMU);
            // '5' is 770 Hz + 1336 Hz.
            assertTrue(Dsp.power(f, 770) > 1_000_000 && Dsp.power(f, 1336) > 1_000_000, "dual tone present");
            assertTrue(Dsp.power(f, 1000) < Dsp.power(f, 770) / 20, "and not something else");
        }
    }

    @Test
    void captureWritesWhatThePeerSays(@TempDir Path dir) throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-capture", "inmate", ev)) {
            ep.answer(peer.offerG711());
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            Path wav = dir.resolve("name.wav");
            ep.startCapture(wav, 400);
            short[] frame = TestPrompts.sine(600, 20, 6000);
            // 800 ms of audio in a burst: the capture stops at its 400 ms limit.
            for (int i = 0; i < 40; i++) {
                peer.sendAudio(Codec.PCMU, frame, to);
            }
            MediaEvent.CaptureDone done = ev.await(MediaEvent.CaptureDone.class);
            assertEquals(400, done.millis(), "capture limited to maxMillis");
            WavReader.Audio a = WavReader.read(wav);
            assertEquals(1, a.channels());
            assertEquals(done.millis(), a.durationMillis());
            assertTrue(Dsp.power(a.samples(), 0, 1600, 600) > 1_000_000, "the peer's tone was captured");
        }
    }

    @Test
    void closeReleasesPorts() throws Exception {
        Events.await(() -> engine.openEndpoints() == 0, "other tests' endpoints closed");
        int before = engine.openEndpoints();
        MediaEndpoint ep = engine.createEndpoint("c-close", "inmate", new Events());
        assertEquals(before + 1, engine.openEndpoints());
        ep.close();
        ep.close();
        assertTrue(ep.isClosed());
        Events.await(() -> engine.openEndpoints() == before, "endpoint count back");
        int port = ep.localAddress().getPort();
        Events.await(() -> {
            try (var s = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
                return true;
            } catch (java.net.SocketException e) {
                return false;
            }
        }, "port released");
    }

    @Test
    void honoursThePeersPtimeForWhatItSends() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-ptime", "inmate", ev)) {
            ep.answer(peer.offer("0", "a=rtpmap:0 PCMU/8000\r\na=ptime:30\r\n"));
            ep.play(tone(1000, 300), false);
            advance(300);
            ev.await(MediaEvent.PlaybackDone.class);
            Events.await(() -> peer.received().size() >= 10, "frames");
            advance(100);
            allArrived(ep, peer);
            List<RtpTestPeer.Rx> rx = peer.received();
            assertEquals(10, rx.size(), "300 ms in 30 ms frames");
            for (int i = 1; i < rx.size(); i++) {
                assertEquals(240, rx.get(i).payload().length);
                assertEquals(240, (rx.get(i).ts() - rx.get(i - 1).ts()) & 0xFFFFFFFFL);
            }
        }
    }

    @Test
    void outgoingOfferThenAnswerNegotiatesPcma() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-offer", "called", ev)) {
            String offer = ep.createOffer();
            assertTrue(offer.contains("m=audio " + ep.localAddress().getPort() + " RTP/AVP 0 8 101"), offer);
            assertEquals(null, ep.codec(), "nothing negotiated yet");
            ep.applyAnswer(peer.offer("8", "a=rtpmap:8 PCMA/8000\r\n"));
            assertEquals(Codec.PCMA, ep.codec());
            ep.play(tone(1000, 100), false);
            advance(100);
            Events.await(() -> peer.received().size() >= 5, "prompt in PCMA");
            assertTrue(peer.received().stream().allMatch(r -> r.pt() == 8));
            assertTrue(Dsp.power(peer.received().get(2).decode(Codec.PCMA), 1000) > 1_000_000);
            assertTrue(ep.createOffer().equals(offer), "an unchanged offer keeps its o= version");
        }
    }

    @Test
    void stopAndReplaceReportInterruptedPlayback() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); MediaEndpoint ep = engine.createEndpoint("c-stop", "inmate", ev)) {
            ep.answer(peer.offerG711());
            ep.play(tone(1000, 10_000), false);
            ep.play(tone(500, 10_000), false);
            Events.await(() -> ev.of(MediaEvent.PlaybackDone.class).size() == 1, "replacement interrupts");
            assertTrue(ev.of(MediaEvent.PlaybackDone.class).get(0).interrupted());
            ep.stopPlayback();
            Events.await(() -> ev.of(MediaEvent.PlaybackDone.class).size() == 2, "stop interrupts");
            assertTrue(ev.of(MediaEvent.PlaybackDone.class).get(1).interrupted());
            ep.stopPlayback();
            advance(100); // the stop runs on the loop before the ticks
            assertEquals(2, ev.of(MediaEvent.PlaybackDone.class).size(), "stopping nothing reports nothing");
        }
    }

    @Test
    void reInviteToANewAddressRelatches() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer first = new RtpTestPeer(); RtpTestPeer second = new RtpTestPeer();
                RtpEndpoint ep = (RtpEndpoint) engine.createEndpoint("c-move", "inmate", ev)) {
            ep.answer(first.offerG711());
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            first.sendAudio(Codec.PCMU, new short[160], to);
            ep.play(tone(1000, 10_000), false);
            advance(60);
            Events.await(() -> first.received().size() >= 3, "to the first peer");
            ep.answer(second.offerG711()); // the call moved (transfer, re-INVITE from another gateway)
            advance(60);
            Events.await(() -> second.received().size() >= 3, "to the new SDP address");
            second.sendAudio(Codec.PCMU, new short[160], to);
            Events.await(() -> ep.statistics().packetsReceived() == 1, "the new source is accepted (stats restart with its SSRC)");
            first.sendAudio(Codec.PCMU, new short[160], to);
            Events.await(() -> ep.droppedForeign() == 1, "the old source is now foreign");
            assertEquals(1, ep.statistics().packetsReceived());
        }
    }

    /** 8 kHz PCM of a DTMF key built by the test itself: two sines, then silence. */
    static short[] dualTone(int lowHz, int highHz, int toneMs, int gapMs) {
        short[] lo = TestPrompts.sine(lowHz, toneMs, 6000);
        short[] hi = TestPrompts.sine(highHz, toneMs, 6000);
        short[] out = new short[(toneMs + gapMs) * 8];
        for (int i = 0; i < lo.length; i++) {
            out[i] = (short) (lo[i] + hi[i]);
        }
        return out;
    }

    @Test
    void inBandDigitsAreDetectedAndCanBeSwitchedOffPerLeg() throws Exception {
        Events ev = new Events();
        Events quiet = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); RtpTestPeer peer2 = new RtpTestPeer();
                RtpEndpoint ep = (RtpEndpoint) engine.createEndpoint("c-inband-rx", "inmate", ev);
                RtpEndpoint off = (RtpEndpoint) engine.createEndpoint("c-inband-off", "called", quiet)) {
            ep.answer(peer.offer("0", "a=rtpmap:0 PCMU/8000\r\n"));
            off.answer(peer2.offer("0", "a=rtpmap:0 PCMU/8000\r\n"));
            off.inbandDtmf(false);
            short[] key9 = dualTone(852, 1477, 100, 100); // '9'
            for (RtpTestPeer p : new RtpTestPeer[] {peer, peer2}) {
                InetSocketAddress to = new InetSocketAddress("127.0.0.1",
                        (p == peer ? ep : off).localAddress().getPort());
                for (int f = 0; f < 3; f++) {
                    p.sendAudio(Codec.PCMU, new short[160], to);
                }
                for (int off0 = 0; off0 < key9.length; off0 += 160) {
                    p.sendAudio(Codec.PCMU, java.util.Arrays.copyOfRange(key9, off0, off0 + 160), to);
                }
                for (int f = 0; f < 10; f++) {
                    p.sendAudio(Codec.PCMU, new short[160], to);
                }
            }
            MediaEvent.Digit d = ev.await(MediaEvent.Digit.class);
            assertEquals('9', d.digit());
            assertEquals(io.kinline.media.dtmf.DigitSource.INBAND, d.source());
            Events.await(() -> off.statistics().packetsReceived() == 3 + key9.length / 160 + 10,
                    "every frame taken by the leg without detection: " + off.statistics());
            assertTrue(quiet.of(MediaEvent.Digit.class).isEmpty(), "detection off on that leg");
        }
    }
}
