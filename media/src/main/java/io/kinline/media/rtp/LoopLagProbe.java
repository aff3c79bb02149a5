package io.kinline.media.rtp;

import io.kinline.media.MediaLoad;
import io.kinline.media.SustainedLag;
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
 * <p>What counts is the {@link SustainedLag}: late five probes in a row (100 ms or more), kept for one to two
 * seconds, or a probe overdue by more than half a second because the loop is stuck right now.
 *
 * <p>The probe allocates nothing per run (one scheduled task, rescheduled by Netty; a fixed ring of longs) and
 * never blocks. It runs only on the loop; readers on any thread read the lag's volatile fields.
 */
final class LoopLagProbe implements Runnable {

    /** How often the probe runs: shorter than one 20 ms packet interval. */
    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final EventLoop loop;
    private final SustainedLag lag;
    private ScheduledFuture<?> future;

    private LoopLagProbe(EventLoop loop, long now) {
        this.loop = loop;
        this.lag = new SustainedLag(now, now + PERIOD_NANOS);
    }

    /** Starts probing {@code loop}; any thread. */
    static LoopLagProbe start(EventLoop loop) {
        LoopLagProbe p = new LoopLagProbe(loop, System.nanoTime());
        loop.execute(() -> p.future = loop.scheduleWithFixedDelay(p, PERIOD_NANOS, PERIOD_NANOS,
                TimeUnit.NANOSECONDS));
        return p;
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
        lag.ran(now, now + PERIOD_NANOS); // fixed delay: Netty schedules the next run one period after this one
    }

    /** The worst sustained lag of the last one to two seconds, or how overdue the next run is if stuck. */
    long lagNanos(long now) {
        return lag.lagNanos(now);
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
