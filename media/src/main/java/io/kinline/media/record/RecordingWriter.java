package io.kinline.media.record;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared background writer behind every {@link StereoRecorder}: a few platform threads that
 * drain the recorders' queues, align and interleave the two channels, and write WAV files.
 *
 * <p>Recorders are pinned round-robin to one worker each, so a recorder's state is only ever touched
 * by its own worker and needs no lock. Producers (Netty event loops) never wake a worker: the workers
 * poll every few milliseconds, which costs nothing measurable with hundreds of recorders and keeps
 * {@code unpark} system calls off the event loops.
 */
public final class RecordingWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecordingWriter.class);

    /** How long an idle worker sleeps between polls. */
    static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Worker[] workers;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean closed;
    // Totals over every recorder, for metrics: LongAdders, since event loops add to them per packet.
    private final LongAdder queuedSamples = new LongAdder();
    private final LongAdder droppedSamples = new LongAdder();
    private final LongAdder failures = new LongAdder();
    // Quality totals over finished recordings: added once per recording, by its worker, when it ends.
    private final LongAdder gapFramesInmate = new LongAdder();
    private final LongAdder gapFramesCalled = new LongAdder();
    private final LongAdder lateFrames = new LongAdder();

    /**
     * @param threads number of writer threads (1-64); two or three keep up with hundreds of calls
     *                since the work is memory copies and sequential file writes
     */
    public RecordingWriter(int threads) {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads must be 1..64, got " + threads);
        }
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker("kinline-rec-" + i);
            workers[i].thread.start();
        }
    }

    /** Recorders open and not yet finalized, across all workers. */
    public int activeRecorders() {
        int n = 0;
        for (Worker w : workers) {
            n += w.active.get();
        }
        return n;
    }

    /** Samples handed to recorders and not yet written, over all recorders: the writer's backlog. */
    public long queuedSamples() {
        return queuedSamples.sum();
    }

    /**
     * The writer's lateness: audio queued and not yet placed, in milliseconds per open recording (both
     * channels of a recording count once). A few milliseconds while the writer keeps up (it polls every
     * {@link #IDLE_PARK_NANOS}); it grows when the writer threads cannot keep up or the disk stalls. An
     * average over recordings, since the writer serves them all in turn.
     */
    public long backlogMillis() {
        long samples = queuedSamples.sum();
        if (samples <= 0) {
            return 0;
        }
        int recordings = Math.max(1, activeRecorders());
        return samples * 1000 / (2L * StereoRecorder.RATE * recordings);
    }

    /** Samples dropped because a recorder's queue was full (the writer fell 30 s behind). */
    public long droppedSamples() {
        return droppedSamples.sum();
    }

    /** Recordings whose writing failed (an I/O error: disk full, file removed, ...). */
    public long failures() {
        return failures.sum();
    }

    /** Gap frames over finished recordings on one channel ({@link StereoRecorder#INMATE} or {@link StereoRecorder#CALLED}). */
    public long gapFrames(int channel) {
        return (channel == StereoRecorder.INMATE ? gapFramesInmate : gapFramesCalled).sum();
    }

    /** Late and queue-full-dropped frames over finished recordings ({@link RecordingQuality#lateOrDroppedFrames}). */
    public long lateFrames() {
        return lateFrames.sum();
    }

    void finished(RecordingQuality q) {
        gapFramesInmate.add(q.gapFramesInmate());
        gapFramesCalled.add(q.gapFramesCalled());
        lateFrames.add(q.lateOrDroppedFrames());
    }

    void queued(long samples) {
        queuedSamples.add(samples);
    }

    void dropped(long samples) {
        droppedSamples.add(samples);
    }

    void failed() {
        failures.increment();
    }

    boolean isClosed() {
        return closed;
    }

    /** Hands a new recorder to a worker. */
    void register(StereoRecorder recorder) {
        if (closed) {
            throw new IllegalStateException("recording writer is closed");
        }
        Worker w = workers[Math.floorMod(next.getAndIncrement(), workers.length)];
        w.active.incrementAndGet();
        w.inbox.add(recorder);
    }

    /**
     * Finalizes every open recording and stops the threads. Blocks (up to 30 s) until the files are
     * complete, so call it at shutdown, not on an event loop. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Worker w : workers) {
            w.running = false;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Worker w : workers) {
            long left = deadline - System.nanoTime();
            try {
                w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (w.thread.isAlive()) {
                log.warn("recording writer thread {} did not finish within 30 s", w.thread.getName());
            }
        }
    }

    private final class Worker implements Runnable {
        final Thread thread;
        final ConcurrentLinkedQueue<StereoRecorder> inbox = new ConcurrentLinkedQueue<>();
        final List<StereoRecorder> recorders = new ArrayList<>();
        final AtomicInteger active = new AtomicInteger();
        volatile boolean running = true;

        Worker(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                boolean stopping = !running;
                StereoRecorder r;
                while ((r = inbox.poll()) != null) {
                    recorders.add(r);
                }
                boolean worked = false;
                for (int i = recorders.size() - 1; i >= 0; i--) {
                    StereoRecorder rec = recorders.get(i);
                    if (stopping) {
                        rec.close();
                    }
                    try {
                        worked |= rec.service();
                    } catch (RuntimeException e) {
                        log.error("recorder {} failed", rec.file(), e);
                        rec.fail(e);
                    }
                    if (rec.isFinished()) {
                        int last = recorders.size() - 1;
                        recorders.set(i, recorders.get(last));
                        recorders.remove(last);
                        active.decrementAndGet();
                    }
                }
                if (stopping && recorders.isEmpty() && inbox.isEmpty()) {
                    return;
                }
                if (!worked) {
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
            }
        }
    }
}
