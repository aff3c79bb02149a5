package io.kinline.media;

import java.util.concurrent.TimeUnit;

/**
 * The sustained lateness of a periodic probe: a task that should run at known times (a scheduled task on an
 * event loop, a sleeping thread) reports when it ran and when it is due next, and this keeps how late it has
 * been. The rule behind {@link MediaLoad#loopLagMicros()} and the switch's call-thread lag.
 *
 * <p>What counts is <em>sustained</em> lag: the smallest lateness of the last {@link #RUNS} runs, so the probe
 * was at least that late that many times in a row. A single hiccup (a GC pause, the JIT, a neighbour taking the
 * core for a moment) is not overload and does not count; a thread that is behind is late at every run. The worst
 * sustained lag is kept over the current and the previous {@link #WINDOW_NANOS} window, so a reader sees it for
 * one to two windows. A probe stuck right now cannot run to say so: once its next run is overdue by more than
 * {@link #STUCK_NANOS}, how overdue it is counts too.
 *
 * <p>Threads: one writer, the probe's own thread, calls {@link #ran}; it must receive this object through a
 * happens-before edge (thread start, an executor's submit), as it does when it is created just before. Any thread
 * may call {@link #lagNanos}: it reads only volatile fields. Nothing is allocated after construction.
 */
public final class SustainedLag {

    /** Consecutive late runs that make a sustained lag. */
    public static final int RUNS = 5;
    /** The window over which the worst sustained lag is kept. */
    public static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** A probe overdue by more than this is stuck now. */
    public static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final long[] recent = new long[RUNS];
    private int next;
    private long windowStart;
    private volatile long due;
    private volatile long windowMax;
    private volatile long previousMax;

    /**
     * @param nowNanos      the {@link System#nanoTime()} at which the probe starts: its first window opens then
     * @param firstDueNanos when the probe's first run is due
     */
    public SustainedLag(long nowNanos, long firstDueNanos) {
        this.windowStart = nowNanos;
        this.due = firstDueNanos;
    }

    /**
     * Notes a run of the probe; only its own thread calls this.
     *
     * @param nowNanos     when it ran: it was late by how much that is after the time it was due
     * @param nextDueNanos when its next run is due
     */
    public void ran(long nowNanos, long nextDueNanos) {
        recent[next] = Math.max(0, nowNanos - due);
        next = (next + 1) % RUNS;
        long sustained = Long.MAX_VALUE;
        for (long l : recent) {
            sustained = Math.min(sustained, l);
        }
        if (nowNanos - windowStart >= WINDOW_NANOS) {
            previousMax = windowMax;
            windowMax = sustained;
            windowStart = nowNanos;
        } else if (sustained > windowMax) {
            windowMax = sustained;
        }
        due = nextDueNanos;
    }

    /**
     * The worst sustained lag of the current and previous window, or how overdue the next run is if that is more
     * than {@link #STUCK_NANOS} and more than the lag; any thread.
     */
    public long lagNanos(long nowNanos) {
        long overdue = nowNanos - due;
        long worst = Math.max(windowMax, previousMax);
        return overdue > STUCK_NANOS ? Math.max(worst, overdue) : worst;
    }
}
