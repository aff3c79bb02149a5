package io.kinline.ivr;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.PriorityQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Discrete-event simulated time for call tests. The script runs on the test thread; whenever it
 * waits on an empty queue, the simulation jumps the clock to the next scheduled action (a digit, the
 * end of a prompt, an answer) or to the script's deadline. Deterministic and instant, so tests can
 * run 15-minute calls without timed assertions.
 */
public final class Simulation implements CallEvents.Waiter {

    /** A clock whose time only this simulation moves. */
    public static final class SimClock extends Clock {
        private Instant now;

        SimClock(Instant start) {
            now = start;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A scheduled action that can be cancelled. */
    public static final class Item implements Comparable<Item> {
        final Instant at;
        final long seq;
        final Runnable action;
        boolean cancelled;

        Item(Instant at, long seq, Runnable action) {
            this.at = at;
            this.seq = seq;
            this.action = action;
        }

        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Item o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private static final int MAX_STEPS = 1_000_000;

    private final SimClock clock;
    private final PriorityQueue<Item> items = new PriorityQueue<>();
    private long seq;
    private int steps;

    public Simulation(Instant start) {
        clock = new SimClock(start);
    }

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.now;
    }

    /** Runs {@code action} when simulated time reaches now + delay. */
    public Item after(Duration delay, Runnable action) {
        Item i = new Item(clock.now.plus(delay), seq++, action);
        items.add(i);
        return i;
    }

    /** Moves time forward running due actions (for tests that drive the queue by hand). */
    public void advance(Duration d) {
        Instant target = clock.now.plus(d);
        while (!items.isEmpty() && !items.peek().at.isAfter(target)) {
            Item i = items.poll();
            clock.now = i.at.isAfter(clock.now) ? i.at : clock.now;
            if (!i.cancelled) {
                i.action.run();
            }
        }
        clock.now = target;
    }

    @Override
    public CallEvent poll(BlockingQueue<CallEvent> queue, Duration timeout) throws InterruptedException {
        Instant deadline = clock.now.plus(timeout);
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException(); // as BlockingQueue.poll does
            }
            if (++steps > MAX_STEPS) {
                throw new AssertionError("simulation runs away (a busy loop in the script?)");
            }
            CallEvent e = queue.poll();
            if (e != null) {
                return e;
            }
            Item next = items.peek();
            while (next != null && next.cancelled) {
                items.poll();
                next = items.peek();
            }
            if (next == null || next.at.isAfter(deadline)) {
                if (next == null && timeout.compareTo(Duration.ofHours(12)) > 0) {
                    throw new AssertionError("script waits forever with nothing scheduled");
                }
                clock.now = deadline;
                return null;
            }
            items.poll();
            if (next.at.isAfter(clock.now)) {
                clock.now = next.at;
            }
            next.action.run();
        }
    }
}
