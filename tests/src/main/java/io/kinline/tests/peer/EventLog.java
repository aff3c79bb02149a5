package io.kinline.tests.peer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Thread-safe log of {@link SipEvent}s with "await and take" semantics: {@link #await} returns the
 * first matching event not already taken by an earlier await (events that arrived before the call
 * count), so a test can wait for a second re-INVITE after having consumed the first.
 */
public final class EventLog {

    private final List<SipEvent> events = new ArrayList<>();
    private final List<Boolean> taken = new ArrayList<>();

    public synchronized void add(SipEvent e) {
        events.add(e);
        taken.add(false);
        notifyAll();
    }

    /** A snapshot of every event, taken or not. */
    public synchronized List<SipEvent> all() {
        return List.copyOf(events);
    }

    /** Waits for and takes the first untaken event matching {@code p}; null on timeout. */
    public synchronized SipEvent await(Predicate<SipEvent> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = 0; i < events.size(); i++) {
                if (!taken.get(i) && p.test(events.get(i))) {
                    taken.set(i, true);
                    return events.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** Whether any event (taken or not) matches. */
    public synchronized boolean any(Predicate<SipEvent> p) {
        return events.stream().anyMatch(p);
    }

    public synchronized List<SipEvent> matching(Predicate<SipEvent> p) {
        List<SipEvent> out = new ArrayList<>();
        for (SipEvent e : events) {
            if (p.test(e)) {
                out.add(e);
            }
        }
        return out;
    }
}
