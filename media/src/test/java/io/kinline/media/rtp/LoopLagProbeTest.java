package io.kinline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinline.media.MediaLoad;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The media load probe on a real engine: a real stall of one event loop shows, and goes away after it. */
class LoopLagProbeTest {

    private static final long STALL_MILLIS = 300;

    @Test
    void seesAStalledLoopWhileItStallsAndForAWhileAfterThenIdlesNearZero() throws Exception {
        try (NettyMediaEngine engine = NettyMediaEngine.create(EndpointTest.testConfig(), new TestPrompts())) {
            MediaLoad load = engine.load();
            Thread.sleep(100); // the probes have run a few times
            // Idle: a loop with nothing to do runs its probe on time (bounded generously for a shared machine).
            Events.await(() -> load.loopLagMicros() < 100_000, "an idle engine lags under 100 ms");
            assertEquals(0, load.recordingBacklogMillis(), "no recordings, no backlog");

            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            engine.loopFor("stalled-call").execute(() -> {
                started.countDown();
                try {
                    release.await(STALL_MILLIS, TimeUnit.MILLISECONDS); // blocks the loop: a real stall
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(started.await(5, TimeUnit.SECONDS));
            Thread.sleep(STALL_MILLIS / 2);
            long during = load.loopLagMicros();
            // The probe due within 20 ms of the stall's start is overdue by at least the time slept since.
            assertTrue(during >= (STALL_MILLIS / 2 - LoopLagProbe.PERIOD_NANOS / 1_000_000) * 1000,
                    "a loop stalled right now shows: " + during + " µs");

            Thread.sleep(STALL_MILLIS); // the stall is over; the probe ran late once and recorded it
            long after = load.loopLagMicros();
            assertTrue(after >= (STALL_MILLIS - LoopLagProbe.PERIOD_NANOS / 1_000_000) * 1000,
                    "the stall is remembered after it ended: " + after + " µs");
            assertTrue(after < 10_000_000, "but not invented: " + after + " µs");

            // Two windows later the stall is forgotten.
            Events.await(() -> load.loopLagMicros() < 100_000, "the lag falls back after the stall");
        }
    }
}
