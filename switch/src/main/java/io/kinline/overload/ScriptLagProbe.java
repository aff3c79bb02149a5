package io.kinline.overload;

import java.util.concurrent.TimeUnit;

/**
 * Measures how late the call scripts' virtual threads get to run: a virtual thread of its own sleeps
 * {@link #PERIOD_NANOS} at a time and notes how much later than that it woke up. Call scripts are virtual
 * threads on the same scheduler, so when they wait for a carrier (the machine's cores taken by media, the JIT,
 * a neighbour, too many calls at once), this probe waits as long.
 *
 * <p>Why this besides the media loops' lag: under the 50 CPS ramp on 2 cores, call setup starved first (IVR
 * p99 of 15-27 s, handsets hanging up before they were bridged) while the media loops, platform threads, were
 * still only 20-60 ms late. What a caller notices first is a script that answers late.
 *
 * <p>As {@code media.rtp.LoopLagProbe}: what counts is sustained lag, the smallest lateness of the last
 * {@link #RUNS} wake-ups (one GC pause is not overload), kept as the worst of the current and previous
 * one-second window; a probe overdue by more than {@link #STUCK_NANOS} counts as stuck now. One sleeping
 * virtual thread, no allocation per run.
 */
public final class ScriptLagProbe implements AutoCloseable {

    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    static final int RUNS = 5;
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Thread thread;
    private final long[] recent = new long[RUNS];
    private int next;
    private long windowStart;
    private volatile long due;
    private volatile long windowMax;
    private volatile long previousMax;
    private volatile boolean closed;

    private ScriptLagProbe() {
        long now = System.nanoTime();
        windowStart = now;
        due = now + PERIOD_NANOS;
        thread = Thread.ofVirtual().name("kinline-script-lag-probe").unstarted(this::run);
    }

    /** Starts a probe on the default virtual-thread scheduler, where the call scripts run. */
    public static ScriptLagProbe start() {
        ScriptLagProbe p = new ScriptLagProbe();
        p.thread.start();
        return p;
    }

    private void run() {
        while (!closed) {
            try {
                TimeUnit.NANOSECONDS.sleep(PERIOD_NANOS);
            } catch (InterruptedException e) {
                return;
            }
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
            due = System.nanoTime() + PERIOD_NANOS;
        }
    }

    /** The worst sustained lateness of the last one to two seconds, in microseconds (or how overdue, if stuck). */
    public long lagMicros() {
        long overdue = System.nanoTime() - due;
        long worst = Math.max(windowMax, previousMax);
        return (overdue > STUCK_NANOS ? Math.max(worst, overdue) : worst) / 1000;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
