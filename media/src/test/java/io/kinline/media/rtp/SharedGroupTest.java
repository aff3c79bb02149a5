package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEvent;
import io.kinline.media.codec.Codec;
import io.kinline.media.prompt.Playlist;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.Test;

/** The engine on a caller's NIO event loop group (the switch may share its SIP loops). */
class SharedGroupTest {

    @Test
    void runsOnACallersNioGroupAndLeavesItRunning() throws Exception {
        LeakWatch.install();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Events ev = new Events();
            try (NettyMediaEngine engine = NettyMediaEngine.create(EndpointTest.testConfig(), new TestPrompts(), group);
                    RtpTestPeer peer = new RtpTestPeer()) {
                MediaEndpoint ep = engine.createEndpoint("shared", "inmate", ev);
                ep.answer(peer.offerG711());
                ep.play(Playlist.of("en", "tone-800-100"), false);
                ev.await(MediaEvent.PlaybackDone.class);
                Events.await(() -> peer.received().size() == 5, "5 frames over NIO");
                assertTrue(Dsp.power(peer.received().get(2).decode(Codec.PCMU), 800) > 1_000_000);
            }
            assertFalse(group.isShuttingDown(), "a caller's group is not the engine's to shut down");
            assertEquals(0, group.submit(() -> 0).get());
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
        LeakWatch.assertNoLeaks();
    }
}
