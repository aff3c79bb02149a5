package io.kinline.media.rtp;

import io.kinline.media.MediaLoad;
import io.kinline.media.record.RecordingWriter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures how late one media event loop runs its tasks: a task scheduled every {@link #PERIOD_NANOS}
 * (fixed delay) notes how much later than its deadline it ran. A loop that keeps up runs it about a
 * millisecond late; a loop with too much work, or starved of CPU, runs it late by as much as every packet on
 * that loop is late.
 *
 * <p>What counts is <em>sustained</em> lag: the smallest lateness of the last {@link #RUNS} runs, so the loop
 * was at least that late for five probes in a row (100 ms or more). A single hiccup (a GC pause, the JIT, a
 * neighbour taking the core for a moment) is not overload and does not count; a loop that is behind is late at
 * every probe. The worst sustained lag is kept over the current and the previous one-second window, so a reader
 * sees it for one to two seconds. A loop stuck right now cannot run its probe: once the next run is overdue by
 * more than {@link #STUCK_NANOS}, that counts too.
 *
 * <p>The probe allocates nothing per run (one scheduled task, rescheduled by Netty; a fixed ring of longs) and
 * never blocks. Fields are written only on the loop; readers on any thread see the volatile ones.
 */
final class LoopLagProbe implements Runnable {

    /** How often the probe runs: shorter than one 20 ms packet interval. */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Consecutive late runs that make a sustained lag. */
    static final int RUNS = 5;
    /** The window over which the worst sustained lag is kept. */
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A probe overdue by this much means the loop is stuck now. */
    static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final EventLoop loop;
    private final long[] recent = new long[RUNS];
    private int next;
    private ScheduledFuture<?> future;
    private long windowStart;
    private volatile long due;
    private volatile long windowMax;
    private volatile long previousMax;

    LoopLagProbe(EventLoop loop) {
        this.loop = loop;
    }

    /** Starts probing; any thread. */
    void start() {
        long now = System.nanoTime();
        windowStart = now;
        due = now + PERIOD_NANOS;
        loop.execute(() -> future = loop.scheduleWithFixedDelay(this, PERIOD_NANOS, PERIOD_NANOS,
                TimeUnit.NANOSECONDS));
    }

    /** Stops probing; any thread. */
    void stop() {
        loop.execute(() -> {
            if (future != null) {
                future.cancel(false);
            }
        });
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        recent[next] = Math.max(0, now - due);
        next = (next + 1) % RUNS;
        long sustained = Long.MAX_VALUE;
        for (long l : recent) {
            sustained = Math.min(sustained, l);
        }
        if (now - windowStart >= WINDOW_NANOS) {
            previousMax = windowMax;
            windowMax = sustained;
            windowStart = now;
        } else if (sustained > windowMax) {
            windowMax = sustained;
        }
        due = now + PERIOD_NANOS; // fixed delay: Netty schedules the next run one period after this one
    }

    /** The worst sustained lag of the last one to two seconds, or how overdue the next run is if stuck. */
    long lagNanos(long now) {
        long overdue = now - due;
        long worst = Math.max(windowMax, previousMax);
        return overdue > STUCK_NANOS ? Math.max(worst, overdue) : worst;
    }

    /** The engine's load: the worst of its loops' lags, and the recording writer's backlog. */
    static MediaLoad load(LoopLagProbe[] probes, RecordingWriter writer) {
        return new MediaLoad() {
            @Override
            public long loopLagMicros() {
                long now = System.nanoTime();
                long worst = 0;
                for (LoopLagProbe p : probes) {
                    worst = Math.max(worst, p.lagNanos(now));
                }
                return worst / 1000;
            }

            @Override
            public long recordingBacklogMillis() {
                return writer.backlogMillis();
            }
        };
    }
}
