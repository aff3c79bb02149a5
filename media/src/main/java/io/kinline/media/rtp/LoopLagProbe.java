package io.kinline.media.rtp;

import io.kinline.media.MediaLoad;
import io.kinline.media.record.RecordingWriter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Measures how late one media event loop runs its tasks: a task scheduled every {@link #PERIOD_NANOS}
 * (fixed delay) notes how much later than its deadline it ran. A loop that keeps up runs it within a
 * fraction of a millisecond; a loop with too much work, or starved of CPU, runs it late by as much as every
 * packet on that loop is late.
 *
 * <p>The worst lateness is kept over the current and the previous one-second window, so a reader sees a
 * stall for one to two seconds after it ended. A loop stalled right now (the probe cannot run) is seen too:
 * {@link #lagNanos(long)} counts how overdue the next run is. The probe allocates nothing per run (one
 * scheduled task, rescheduled by Netty) and never blocks; fields are written only on the loop.
 */
final class LoopLagProbe implements Runnable {

    /** How often the probe runs: shorter than one 20 ms packet interval, so any stall that long is caught. */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The window over which the worst lag is kept. */
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EventLoop loop;
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
        long lag = Math.max(0, now - due);
        if (now - windowStart >= WINDOW_NANOS) {
            previousMax = windowMax;
            windowMax = lag;
            windowStart = now;
        } else if (lag > windowMax) {
            windowMax = lag;
        }
        due = now + PERIOD_NANOS; // fixed delay: Netty schedules the next run one period after this one
    }

    /** The worst lag of the last one to two seconds, or how overdue the next run is if that is worse. */
    long lagNanos(long now) {
        long overdue = now - due;
        return Math.max(Math.max(windowMax, previousMax), overdue);
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
