package io.kinline.ivr;

import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEvent;
import io.kinline.media.prompt.Playlist;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blocking IVR primitives over one leg's {@link MediaEndpoint} and the call's {@link CallEvents}. Meant
 * for the call's virtual thread: each method returns when its step is over, or throws
 * {@link CallEndedException} when either leg hangs up or its media times out.
 *
 * <p>Events of the other leg or of SIP (ringing, answer) that arrive meanwhile are not lost when
 * they are digits (type-ahead per leg); other events are dropped, because the script only waits on
 * them in its own loops, through {@link #next(Instant)}.
 */
public final class Ivr {

    private static final Logger log = LoggerFactory.getLogger(Ivr.class);

    /** Longest wait for a playback's end before assuming the endpoint lost it. */
    public static final Duration PLAYBACK_BOUND = Duration.ofMinutes(3);
    /** Longest wait for the "done" of a stopped playback or capture. */
    public static final Duration STOP_BOUND = Duration.ofSeconds(5);

    private final Leg leg;
    private final MediaEndpoint endpoint;
    private final CallEvents events;

    public Ivr(Leg leg, MediaEndpoint endpoint, CallEvents events) {
        this.leg = Objects.requireNonNull(leg, "leg");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.events = Objects.requireNonNull(events, "events");
    }

    public Leg leg() {
        return leg;
    }

    public MediaEndpoint endpoint() {
        return endpoint;
    }

    private Instant now() {
        return events.clock().instant();
    }

    /** The next call event (any leg, any kind), or null at the deadline. See {@link CallEvents#next}. */
    public CallEvent next(Instant deadline) {
        return events.next(deadline);
    }

    /** Plays a playlist to the end; digits pressed meanwhile are kept for the next collection. */
    public void play(Playlist playlist) {
        startPlay(playlist, false);
        awaitPlaybacks(PLAYBACK_BOUND);
    }

    /** Starts a playlist without waiting (ringback); pair with {@link #stopPlay()} or {@link #awaitPlaybacks}. */
    public void startPlay(Playlist playlist, boolean bargeIn) {
        events.playbackStarted(leg);
        endpoint.play(playlist, bargeIn);
    }

    /** Stops playback, if any, and waits until the endpoint confirms. */
    public void stopPlay() {
        if (events.pendingPlaybacks(leg) > 0) {
            endpoint.stopPlayback();
            awaitPlaybacks(STOP_BOUND);
        }
    }

    /** True while a playback started here has not reported its end. */
    public boolean playing() {
        return events.pendingPlaybacks(leg) > 0;
    }

    /** Waits until every playback started on this leg has reported its end. */
    public void awaitPlaybacks(Duration bound) {
        Instant deadline = now().plus(bound);
        while (events.pendingPlaybacks(leg) > 0) {
            if (next(deadline) == null) {
                log.warn("{}: no PlaybackDone from {} within {}", endpoint.callId(), leg, bound);
                events.resetPlaybacks(leg);
                return;
            }
        }
    }

    /**
     * Plays a prompt with barge-in and collects digits. Digits typed ahead (before or during the prompt)
     * count: when some are already buffered the prompt is skipped. The first-digit timeout starts when
     * the prompt ends.
     */
    public Collected playAndCollect(Playlist prompt, DigitSpec spec) {
        return playAndCollect(List.of(prompt), spec);
    }

    /**
     * Plays several playlists one after the other (each may be in its own language: the bilingual
     * language menu), any digit stopping them all, then collects as {@link #playAndCollect(Playlist,
     * DigitSpec)} does.
     */
    public Collected playAndCollect(List<Playlist> prompts, DigitSpec spec) {
        Deque<Character> buf = events.typeAhead(leg);
        for (Playlist prompt : prompts) {
            if (!buf.isEmpty()) {
                break;
            }
            if (prompt.isEmpty()) {
                continue;
            }
            startPlay(prompt, true);
            Instant bound = now().plus(PLAYBACK_BOUND);
            while (playing() && buf.isEmpty()) {
                if (next(bound) == null) {
                    events.resetPlaybacks(leg);
                }
            }
            stopPlay();
        }
        return collect(spec);
    }

    /**
     * A one-key menu over one playlist; see {@link #menu(List, Set, int, Duration)}.
     */
    public Optional<Character> menu(Playlist prompt, Set<Character> keys, int repeats, Duration timeout) {
        return menu(List.of(prompt), keys, repeats, timeout);
    }

    /** Collects digits without a prompt (see {@link #playAndCollect}). */
    public Collected collect(DigitSpec spec) {
        Deque<Character> buf = events.typeAhead(leg);
        StringBuilder got = new StringBuilder();
        Instant deadline = now().plus(spec.firstDigitTimeout());
        while (true) {
            Character c = buf.pollFirst();
            if (c != null) {
                if (spec.terminator() != DigitSpec.NO_TERMINATOR && c == spec.terminator()) {
                    if (got.isEmpty()) {
                        // A terminator before any digit ends nothing: it is the '#' of the previous
                        // entry, which a fixed-length collection (the PIN) stopped short of, arriving
                        // late. Taking it as an empty entry would cost the caller an attempt.
                        continue;
                    }
                    return new Collected(got.toString(), Collected.End.TERMINATOR);
                }
                got.append(c.charValue());
                if (got.length() >= spec.maxLength()) {
                    return new Collected(got.toString(), Collected.End.MAX_LENGTH);
                }
                deadline = now().plus(spec.interDigitTimeout());
                continue;
            }
            if (next(deadline) == null) {
                return new Collected(got.toString(), Collected.End.TIMEOUT);
            }
        }
    }

    /**
     * A one-key menu: plays the prompts with barge-in and waits {@code timeout} for one of {@code keys}.
     * A wrong key or silence replays the prompt, {@code repeats} times at most.
     *
     * @return the key, or empty when none of the keys was pressed
     */
    public Optional<Character> menu(List<Playlist> prompt, Set<Character> keys, int repeats, Duration timeout) {
        for (int round = 0; round <= repeats; round++) {
            Collected c = playAndCollect(prompt, DigitSpec.oneKey(timeout));
            if (!c.isEmpty() && keys.contains(c.digits().charAt(0))) {
                return Optional.of(c.digits().charAt(0));
            }
            events.typeAhead(leg).clear();
        }
        return Optional.empty();
    }

    /** Discards digits typed so far on this leg (before a question whose answer must be fresh). */
    public void clearTypeAhead() {
        events.typeAhead(leg).clear();
    }

    /**
     * Records what the peer says into {@code wav} until {@code maxMillis} or {@code #}.
     *
     * @return milliseconds of audio written
     */
    public long recordName(Path wav, int maxMillis) {
        clearTypeAhead();
        endpoint.startCapture(wav, maxMillis);
        Instant bound = now().plusMillis(maxMillis).plus(STOP_BOUND);
        boolean stopped = false;
        while (true) {
            CallEvent e = next(bound);
            if (e == null) {
                log.warn("{}: no CaptureDone from {}", endpoint.callId(), leg);
                endpoint.stopCapture();
                return maxMillis;
            }
            if (e instanceof CallEvent.Media m && m.leg() == leg) {
                if (m.event() instanceof MediaEvent.CaptureDone done) {
                    clearTypeAhead();
                    return done.millis();
                }
                if (m.event() instanceof MediaEvent.Digit d && d.digit() == '#' && !stopped) {
                    stopped = true;
                    endpoint.stopCapture();
                    bound = now().plus(STOP_BOUND);
                }
            }
        }
    }
}
