package io.kinline.ivr;

import io.kinline.media.MediaEvent;
import io.kinline.media.MediaListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's event queue, read by the call's script on its virtual thread and fed by Netty event
 * loops (media events, SIP events). Posting never blocks.
 *
 * <p>{@link #next(Instant)} also keeps per-leg state that the {@link Ivr} primitives rely on:
 * <ul>
 *   <li>every DTMF digit is appended to its leg's type-ahead buffer, so digits pressed while a prompt
 *       plays (or between prompts) are not lost;</li>
 *   <li>every {@code PlaybackDone} settles one outstanding playback of its leg, so a late "done" from
 *       an interrupted prompt is never taken for the end of the next one;</li>
 *   <li>a hangup or media timeout of a leg that is still up throws {@link CallEndedException} (once
 *       per leg; later events of a dead leg are dropped).</li>
 * </ul>
 * Timeouts are deadlines on the injected {@link Clock}; the {@link Waiter} decides how waiting happens
 * (real blocking by default, simulated time in tests).
 *
 * <p>Only {@link #post} and {@link #listener} are for other threads; everything else belongs to the
 * call's own thread.
 */
public final class CallEvents {

    private static final Logger log = LoggerFactory.getLogger(CallEvents.class);

    /** Events kept before non-essential ones (statistics, digits) are dropped: a flooding peer. */
    public static final int MAX_QUEUED = 4096;
    /** Type-ahead digits kept per leg; older ones are dropped first. */
    public static final int MAX_TYPE_AHEAD = 64;

    /** Longest single wait; longer deadlines loop. */
    private static final Duration MAX_WAIT = Duration.ofDays(1);

    /** Waits for the next event on the queue, at most {@code timeout}. */
    @FunctionalInterface
    public interface Waiter {
        /** @return the next event, or null when the timeout passed */
        CallEvent poll(BlockingQueue<CallEvent> queue, Duration timeout) throws InterruptedException;
    }

    /** Blocks the calling (virtual) thread. */
    public static final Waiter REAL_TIME = (queue, timeout) -> {
        long ms = Math.max(0, Math.min(timeout.toMillis(), TimeUnit.DAYS.toMillis(1)));
        return queue.poll(ms, TimeUnit.MILLISECONDS);
    };

    private static final class LegState {
        final Deque<Character> typeAhead = new ArrayDeque<>();
        int pendingPlaybacks;
        boolean ended;
    }

    private final BlockingQueue<CallEvent> queue = new LinkedBlockingQueue<>();
    private final Map<Leg, LegState> legs = new EnumMap<>(Leg.class);
    private final Clock clock;
    private final Waiter waiter;

    public CallEvents(Clock clock) {
        this(clock, REAL_TIME);
    }

    public CallEvents(Clock clock, Waiter waiter) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.waiter = Objects.requireNonNull(waiter, "waiter");
        for (Leg l : Leg.values()) {
            legs.put(l, new LegState());
        }
    }

    public Clock clock() {
        return clock;
    }

    /** A listener for one leg's media endpoint: tags events with the leg and queues them. */
    public MediaListener listener(Leg leg) {
        Objects.requireNonNull(leg, "leg");
        return (endpoint, event) -> post(new CallEvent.Media(leg, event));
    }

    /** Queues an event; safe from any thread, never blocks. */
    public void post(CallEvent event) {
        Objects.requireNonNull(event, "event");
        if (queue.size() >= MAX_QUEUED && droppable(event)) {
            log.warn("call event queue full, dropping {}", event);
            return;
        }
        queue.offer(event);
    }

    private static boolean droppable(CallEvent e) {
        return e instanceof CallEvent.Media m
                && (m.event() instanceof MediaEvent.Statistics || m.event() instanceof MediaEvent.Digit
                        || m.event() instanceof MediaEvent.HookFlash);
    }

    /**
     * The next event, waiting until {@code deadline} at most. Statistics are skipped. Digits and
     * playback ends are returned after the bookkeeping described above.
     *
     * @return the event, or null when the deadline passed
     * @throws CallEndedException on a hangup or media timeout of a leg that was up
     */
    public CallEvent next(Instant deadline) {
        while (true) {
            CallEvent e = queue.poll();
            if (e == null) {
                Instant now = clock.instant();
                if (!now.isBefore(deadline)) {
                    return null;
                }
                // Far deadlines (Instant.MAX) would overflow a Duration: wait a day at a time.
                Duration left = deadline.isAfter(now.plus(MAX_WAIT)) ? MAX_WAIT : Duration.between(now, deadline);
                try {
                    e = waiter.poll(queue, left);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new CallEndedException(Leg.INMATE, CallEndedException.SHUTDOWN);
                }
                if (e == null) {
                    if (clock.instant().isBefore(deadline)) {
                        continue; // woke early (clock granularity); wait the rest
                    }
                    return null;
                }
            }
            CallEvent r = account(e);
            if (r != null) {
                return r;
            }
        }
    }

    /** Bookkeeping for one event; null when it is consumed here. */
    private CallEvent account(CallEvent e) {
        switch (e) {
            case CallEvent.Hangup h -> {
                LegState s = legs.get(h.leg());
                if (s.ended) {
                    return null;
                }
                s.ended = true;
                throw new CallEndedException(h.leg(), h.reason());
            }
            case CallEvent.Media m -> {
                LegState s = legs.get(m.leg());
                if (s.ended) {
                    return null;
                }
                switch (m.event()) {
                    case MediaEvent.Statistics st -> {
                        return null;
                    }
                    case MediaEvent.MediaTimeout t -> {
                        s.ended = true;
                        throw new CallEndedException(m.leg(), CallEndedException.MEDIA_TIMEOUT);
                    }
                    case MediaEvent.Digit d -> {
                        if (s.typeAhead.size() >= MAX_TYPE_AHEAD) {
                            s.typeAhead.pollFirst();
                        }
                        s.typeAhead.addLast(d.digit());
                    }
                    case MediaEvent.PlaybackDone p -> {
                        if (s.pendingPlaybacks > 0) {
                            s.pendingPlaybacks--;
                        }
                    }
                    default -> {
                    }
                }
                return e;
            }
            default -> {
                return e;
            }
        }
    }

    /** The leg's type-ahead buffer (digits received and not yet consumed by a collection). */
    public Deque<Character> typeAhead(Leg leg) {
        return legs.get(leg).typeAhead;
    }

    /** Notes that a playback was started on the leg: one {@code PlaybackDone} will follow. */
    public void playbackStarted(Leg leg) {
        legs.get(leg).pendingPlaybacks++;
    }

    /** Playbacks started on the leg whose {@code PlaybackDone} has not arrived yet. */
    public int pendingPlaybacks(Leg leg) {
        return legs.get(leg).pendingPlaybacks;
    }

    /** Forgets outstanding playbacks (an endpoint that never reported the end). */
    public void resetPlaybacks(Leg leg) {
        legs.get(leg).pendingPlaybacks = 0;
    }

    /** True until the leg's hangup or media timeout was seen by {@link #next}, or {@link #markEnded}. */
    public boolean isUp(Leg leg) {
        return !legs.get(leg).ended;
    }

    /** Marks a leg as ended by the script itself (it hung it up), so its late events are dropped. */
    public void markEnded(Leg leg) {
        legs.get(leg).ended = true;
    }
}
