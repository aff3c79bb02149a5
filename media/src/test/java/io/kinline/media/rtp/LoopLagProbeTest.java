package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaLoad;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The media load probe on a real engine with real stalls: a loop kept behind shows, a loop stuck now shows, a
 * single hiccup does not, and the lag falls back once the loop keeps up again.
 */
class LoopLagProbeTest {

    @Test
    void seesALoopKeptBehindAndForgetsItAfterwards() throws Exception {
        try (NettyMediaEngine engine = NettyMediaEngine.create(EndpointTest.testConfig(), new TestPrompts())) {
            MediaLoad load = engine.load();
            // Idle: a loop with nothing to do runs its probe on time (bounded generously for a shared machine).
            Events.await(() -> load.loopLagMicros() < 10_000, "an idle engine lags under 10 ms");
            assertEquals(0, load.recordingBacklogMillis(), "no recordings, no backlog");

            // 200 ms tasks back to back: every probe in between runs 180 ms late or more. Five in a row take
            // five to ten tasks; kept up until the probe says so, for at most 10 s.
            EventLoop loop = engine.loopFor("busy-call");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long behind = 0;
            while (behind < 150_000 && System.nanoTime() < end) {
                loop.submit(() -> sleep(200)).syncUninterruptibly();
                behind = load.loopLagMicros();
            }
            assertTrue(behind >= 150_000, "a loop kept 200 ms behind shows: " + behind + " µs");
            assertTrue(behind < 10_000_000, "but not more than it was: " + behind + " µs");

            Events.await(() -> load.loopLagMicros() < 10_000, "the lag falls back once the loop keeps up");
        }
    }

    @Test
    void aSingleHiccupIsNotOverloadButAStuckLoopIs() throws Exception {
        try (NettyMediaEngine engine = NettyMediaEngine.create(EndpointTest.testConfig(), new TestPrompts())) {
            MediaLoad load = engine.load();
            Events.await(() -> load.loopLagMicros() < 10_000, "an idle engine lags under 10 ms");
            EventLoop loop = engine.loopFor("hiccup");

            loop.submit(() -> sleep(100)).syncUninterruptibly(); // one probe runs ~100 ms late, then on time
            Thread.sleep(300);
            assertTrue(load.loopLagMicros() < 50_000, "one late probe is not a sustained lag: "
                    + load.loopLagMicros() + " µs");

            loop.execute(() -> sleep(1500)); // stuck: its probe cannot run to say so
            Thread.sleep(1000);
            long stuck = load.loopLagMicros();
            assertTrue(stuck >= 700_000, "a loop stuck right now shows by its overdue probe: " + stuck + " µs");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
