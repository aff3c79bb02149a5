package io.kinline.overload;

import io.kinline.media.SustainedLag;
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
 * <p>As {@code media.rtp.LoopLagProbe}, what counts is the {@link SustainedLag}: late five wake-ups in a row
 * (one GC pause is not overload), kept for one to two seconds, or overdue by more than half a second because the
 * scheduler is stuck right now. One sleeping virtual thread, no allocation per run.
 */
public final class ScriptLagProbe implements AutoCloseable {

    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Thread thread;
    private final SustainedLag lag;
    private volatile boolean closed;

    private ScriptLagProbe() {
        long now = System.nanoTime();
        lag = new SustainedLag(now, now + PERIOD_NANOS);
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
            lag.ran(now, now + PERIOD_NANOS);
        }
    }

    /** The worst sustained lateness of the last one to two seconds, in microseconds (or how overdue, if stuck). */
    public long lagMicros() {
        return lag.lagNanos(System.nanoTime()) / 1000;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
