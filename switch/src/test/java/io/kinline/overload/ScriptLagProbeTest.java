package io.kinline.overload;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe reads a real stall of the virtual-thread scheduler, and about nothing when it is free. */
class ScriptLagProbeTest {

    @Test
    void readsAStarvedSchedulerAndRecovers() throws Exception {
        try (ScriptLagProbe probe = ScriptLagProbe.start()) {
            awaitBelow(probe, 20_000, "an idle scheduler");
            // Occupy every carrier with virtual threads that never yield for 1.5 s: the call scripts' case when
            // too much work is runnable. Virtual threads are not time-sliced, so the probe waits for a carrier.
            int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                    Runtime.getRuntime().availableProcessors());
            List<Thread> hogs = new ArrayList<>();
            long until = System.nanoTime() + 1_500_000_000L;
            for (int i = 0; i < carriers * 2; i++) {
                hogs.add(Thread.ofVirtual().start(() -> {
                    long x = 0;
                    while (System.nanoTime() < until) {
                        x += System.identityHashCode(this);
                    }
                    if (x == 42) {
                        System.out.print("");
                    }
                }));
            }
            Thread.sleep(1_000); // a platform thread: not starved
            long during = probe.lagMicros();
            assertTrue(during >= 500_000, "a probe overdue by over 500 ms reads as stuck: " + during + " µs");
            for (Thread h : hogs) {
                h.join();
            }
            awaitBelow(probe, 20_000, "after the stall, within the probe's two-second window");
        }
    }

    private static void awaitBelow(ScriptLagProbe probe, long micros, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long lag;
        while ((lag = probe.lagMicros()) >= micros) {
            assertTrue(System.nanoTime() < deadline, what + ": lag still " + lag + " µs");
            Thread.sleep(100);
        }
    }
}
