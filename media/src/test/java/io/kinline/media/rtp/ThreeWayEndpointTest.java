package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaEvent;
import io.kinline.media.codec.Codec;
import io.kinline.media.threeway.Audio;
import io.kinline.media.threeway.Sign;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three-way detection on a live endpoint: RTP in, {@link MediaEvent.ThreeWay} out, loss and own prompts accounted for. */
class ThreeWayEndpointTest {

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

    private int sent;

    /** Sends {@code pcm} as 20 ms PCMU packets, pacing a little so loopback buffers never overflow. */
    private void send(RtpTestPeer peer, short[] pcm, InetSocketAddress to) throws Exception {
        for (int i = 0; i + 160 <= pcm.length; i += 160) {
            peer.sendAudio(Codec.PCMU, Arrays.copyOfRange(pcm, i, i + 160), to);
            sent++;
            if (sent % 25 == 0) {
                Thread.sleep(2);
            }
        }
    }

    /** Waits until the endpoint has taken every packet sent (it works on them on its own loop). */
    private void drained(RtpEndpoint ep) {
        Events.await(() -> ep.statistics().packetsReceived() >= sent, "received " + ep.statistics() + " of " + sent);
    }

    private static Audio talk(long seed) {
        return new Audio(seed, -55).talk(6000, -20).pause(600);
    }

    @Test
    void aFlashAndDialToneOnTheCalledLegIsReportedStrongThenComplete() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); RtpEndpoint ep = (RtpEndpoint) engine.createEndpoint("c-3w", "called", ev)) {
            ep.answer(peer.offer("0", "a=rtpmap:0 PCMU/8000\r\n"));
            ep.threeWayDetection(true);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            send(peer, talk(1).onHook(600, -66, true, true).pause(150).tones(2000, -15, 350, 440)
                    .digits("5551234", 90, 110, -10).pause(3000).pcm(), to);
            drained(ep);
            MediaEvent.ThreeWay found = ev.await(MediaEvent.ThreeWay.class);
            assertFalse(found.complete());
            assertTrue(found.detection().strong(), found.detection().line());
            assertEquals(6600, found.detection().atMillis(), 100, "the flash, in stream time");
            assertTrue(found.streamStartedAtMillis() > 0);
            ep.threeWayDetection(false);
            Events.await(() -> ev.of(MediaEvent.ThreeWay.class).stream().anyMatch(MediaEvent.ThreeWay::complete),
                    "the complete evidence when detection stops: " + ev.all());
            MediaEvent.ThreeWay done = ev.of(MediaEvent.ThreeWay.class).getLast();
            assertTrue(done.detection().line().contains("7 digits 5551234"), done.detection().line());
        }
    }

    @Test
    void lostPacketsAreNotAnOnHookGap() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); RtpEndpoint ep = (RtpEndpoint) engine.createEndpoint("c-3w-loss", "called", ev)) {
            ep.answer(peer.offer("0", "a=rtpmap:0 PCMU/8000\r\n"));
            ep.threeWayDetection(true);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            send(peer, talk(2).pcm(), to);
            for (int i = 0; i < 35; i++) {
                peer.skip(160); // 700 ms of packets lost
            }
            send(peer, new Audio(3, -55).pause(150).tones(2000, -15, 350, 440).digits("5551234", 90, 110, -10)
                    .pause(2000).pcm(), to);
            drained(ep);
            ep.threeWayDetection(false);
            Events.await(() -> ev.of(MediaEvent.ThreeWay.class).stream().anyMatch(MediaEvent.ThreeWay::complete),
                    "dial tone and dialling are still an attempt: " + ev.all());
            MediaEvent.ThreeWay done = ev.of(MediaEvent.ThreeWay.class).getLast();
            assertFalse(done.detection().strong(), "no flash: the gap was loss. " + done.detection().line());
            assertTrue(done.detection().signs().stream().noneMatch(s -> s.kind() == Sign.Kind.FLASH), done.detection().line());
        }
    }

    @Test
    void whileTheSwitchSpeaksToTheLegItsEchoIsNotEvidence() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); RtpEndpoint ep = (RtpEndpoint) engine.createEndpoint("c-3w-prompt", "called", ev)) {
            ep.answer(peer.offer("0", "a=rtpmap:0 PCMU/8000\r\n"));
            ep.threeWayDetection(true);
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            send(peer, talk(4).pcm(), to);
            ep.play(EndpointTest.tone(1000, 8000), false);
            Thread.sleep(100);
            send(peer, new Audio(5, -55).onHook(600, -66, true, true).pause(150).tones(2000, -15, 350, 440)
                    .digits("5551234", 90, 110, -10).pcm(), to);
            drained(ep);
            ep.stopPlayback();
            ep.threeWayDetection(false);
            Thread.sleep(300);
            assertTrue(ev.of(MediaEvent.ThreeWay.class).isEmpty(), ev.of(MediaEvent.ThreeWay.class).toString());
        }
    }

    @Test
    void detectionIsOffUnlessAsked() throws Exception {
        Events ev = new Events();
        try (RtpTestPeer peer = new RtpTestPeer(); RtpEndpoint ep = (RtpEndpoint) engine.createEndpoint("c-3w-off", "called", ev)) {
            ep.answer(peer.offer("0", "a=rtpmap:0 PCMU/8000\r\n"));
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", ep.localAddress().getPort());
            send(peer, talk(6).onHook(600, -66, true, true).pause(150).tones(2000, -15, 350, 440)
                    .digits("5551234", 90, 110, -10).pause(2000).pcm(), to);
            Events.await(() -> ev.of(MediaEvent.Digit.class).size() == 7, "the digits still come: " + ev.all());
            assertTrue(ev.of(MediaEvent.ThreeWay.class).isEmpty());
        }
    }
}
