package io.kinline.ivr;

import io.kinline.media.MediaEndpoint;
import io.kinline.media.MediaEvent;
import io.kinline.media.RtpStatistics;
import io.kinline.media.codec.Codec;
import io.kinline.media.dtmf.DigitSource;
import io.kinline.media.prompt.Playlist;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A media endpoint in simulated time: playback takes time (1.5 s a prompt, tones and silences their
 * length), barge-in and replacement post {@code PlaybackDone(interrupted)}, captures end after the
 * configured length. It records what was played, and reacts to prompts as a scripted person would.
 */
public final class FakeEndpoint implements MediaEndpoint {

    private boolean inbandDtmf = true;
    private boolean threeWayDetection;
    private boolean threeWayEverOn;
    private java.time.Instant inbandDtmfChangedAt;

    public static final Duration PROMPT = Duration.ofMillis(1500);
    public static final Duration REACTION = Duration.ofMillis(400);
    public static final Duration KEY_GAP = Duration.ofMillis(250);

    /** One playback: its playlist, barge-in, and whether it was cut short. */
    public static final class Played {
        public final Playlist playlist;
        public final boolean bargeIn;
        public boolean interrupted;

        Played(Playlist playlist, boolean bargeIn) {
            this.playlist = playlist;
            this.bargeIn = bargeIn;
        }

        public List<String> names() {
            return FakeEndpoint.names(playlist);
        }
    }

    private final Simulation sim;
    private final Leg leg;
    private final CallEvents events;
    private final List<Played> played = new ArrayList<>();
    private final Map<String, Deque<Consumer<FakeEndpoint>>> reactions = new HashMap<>();
    private final List<Character> sentDtmf = new ArrayList<>();
    private Played current;
    private Simulation.Item currentEnd;
    private Simulation.Item captureEnd;
    private java.time.Instant captureStarted;
    private long captureMillis = -1;
    private Path captured;
    private boolean closed;

    public FakeEndpoint(Simulation sim, Leg leg, CallEvents events) {
        this.sim = sim;
        this.leg = leg;
        this.events = events;
    }

    /** Prompt names, tones and files of a playlist as strings: {@code enter-pin}, {@code tone:1000}, {@code tone:ringback}, {@code file:x.wav}, {@code money:0.06}. */
    public static List<String> names(Playlist p) {
        List<String> out = new ArrayList<>();
        for (Playlist.Segment s : p.segments()) {
            out.add(switch (s) {
                case Playlist.PromptRef r -> r.name();
                case Playlist.FileRef f -> "file:" + f.file().getFileName();
                case Playlist.Number n -> "number:" + n.value();
                case Playlist.Money m -> "money:" + m.amount().toPlainString();
                case Playlist.Rate r -> "rate:" + r.amount().toPlainString();
                case Playlist.Span d -> "duration:" + d.duration();
                case Playlist.Digits d -> "digits:" + d.digits();
                case Playlist.Silence z -> "silence:" + z.millis();
                case Playlist.Tone t -> "tone:" + t.frequencyHz();
                case Playlist.CallProgress c -> "tone:" + c.tone().key();
            });
        }
        return out;
    }

    static Duration length(Playlist p) {
        Duration d = Duration.ZERO;
        for (Playlist.Segment s : p.segments()) {
            d = d.plus(switch (s) {
                case Playlist.Silence z -> Duration.ofMillis(z.millis());
                case Playlist.Tone t -> Duration.ofMillis(t.millis());
                case Playlist.CallProgress c -> Duration.ofMillis(c.millis());
                case Playlist.Digits g -> Duration.ofMillis(300L * g.digits().length());
                default -> PROMPT;
            });
        }
        return d.isZero() ? Duration.ofMillis(20) : d;
    }

    /** When a playlist containing {@code prompt} starts, this reaction runs after {@link #REACTION}; one per play, in order. */
    public FakeEndpoint on(String prompt, Consumer<FakeEndpoint> reaction) {
        reactions.computeIfAbsent(prompt, k -> new ArrayDeque<>()).add(reaction);
        return this;
    }

    /** Shortcut: press these keys when the prompt plays. */
    public FakeEndpoint pressOn(String prompt, String keys) {
        return on(prompt, e -> e.press(keys));
    }

    /** Presses keys now, one every {@link #KEY_GAP}. */
    public void press(String keys) {
        for (int i = 0; i < keys.length(); i++) {
            char c = keys.charAt(i);
            sim.after(KEY_GAP.multipliedBy(i), () -> digit(c));
        }
    }

    /** A digit arrives from the peer now. */
    public void digit(char c) {
        if (closed) {
            return;
        }
        post(new MediaEvent.Digit(c, DigitSource.RFC4733, sim.now().toEpochMilli()));
        if (current != null && current.bargeIn) {
            endPlayback(true);
        }
    }

    /** How long the next captures last (default: until the maximum). */
    public void captureLasts(long millis) {
        captureMillis = millis;
    }

    public void post(MediaEvent e) {
        events.post(new CallEvent.Media(leg, e));
    }

    public List<Played> played() {
        return played;
    }

    /** True while a playlist plays (started and neither ended, replaced nor stopped). */
    public boolean isPlaying() {
        return current != null;
    }

    /** Every prompt name played, in order, flattened. */
    public List<String> heard() {
        List<String> all = new ArrayList<>();
        for (Played p : played) {
            all.addAll(p.names());
        }
        return all;
    }

    public Path captured() {
        return captured;
    }

    public List<Character> sentDtmf() {
        return sentDtmf;
    }

    private void endPlayback(boolean interrupted) {
        if (current == null) {
            return;
        }
        current.interrupted = interrupted;
        currentEnd.cancel();
        current = null;
        currentEnd = null;
        post(new MediaEvent.PlaybackDone(interrupted));
    }

    @Override
    public void play(Playlist playlist, boolean bargeIn) {
        endPlayback(true);
        Played p = new Played(playlist, bargeIn);
        played.add(p);
        current = p;
        currentEnd = sim.after(length(playlist), () -> {
            if (current == p) {
                current = null;
                currentEnd = null;
                post(new MediaEvent.PlaybackDone(false));
            }
        });
        for (String name : p.names()) {
            Deque<Consumer<FakeEndpoint>> q = reactions.get(name);
            if (q != null && !q.isEmpty()) {
                Consumer<FakeEndpoint> r = q.poll();
                sim.after(REACTION, () -> r.accept(this));
            }
        }
    }

    @Override
    public void stopPlayback() {
        endPlayback(true);
    }

    @Override
    public void startCapture(Path wavFile, int maxMillis) {
        captured = wavFile;
        captureStarted = sim.now();
        long ms = captureMillis < 0 ? maxMillis : Math.min(captureMillis, maxMillis);
        captureEnd = sim.after(Duration.ofMillis(ms), () -> {
            captureEnd = null;
            post(new MediaEvent.CaptureDone(ms));
        });
    }

    @Override
    public void inbandDtmf(boolean on) {
        inbandDtmf = on;
        inbandDtmfChangedAt = sim.now();
    }

    @Override
    public void threeWayDetection(boolean on) {
        threeWayDetection = on;
        if (on) {
            threeWayEverOn = true;
        }
    }

    /** Whether three-way detection is on now, and whether the script ever turned it on. */
    public boolean threeWayDetectionOn() {
        return threeWayDetection;
    }

    public boolean threeWayDetectionEverOn() {
        return threeWayEverOn;
    }

    /** Whether in-band DTMF detection is on (as the script last set it; on by default). */
    public boolean inbandDtmfOn() {
        return inbandDtmf;
    }

    /** When the script last turned in-band detection on or off, or null. */
    public java.time.Instant inbandDtmfChangedAt() {
        return inbandDtmfChangedAt;
    }

    @Override
    public void stopCapture() {
        if (captureEnd != null) {
            captureEnd.cancel();
            captureEnd = null;
            post(new MediaEvent.CaptureDone(Duration.between(captureStarted, sim.now()).toMillis()));
        }
    }

    @Override
    public String callId() {
        return "call-1";
    }

    @Override
    public String leg() {
        return leg.name().toLowerCase();
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public String createOffer() {
        return "";
    }

    @Override
    public String answer(String remoteOffer) {
        return "";
    }

    @Override
    public void applyAnswer(String remoteAnswer) {
    }

    @Override
    public Codec codec() {
        return null;
    }

    @Override
    public void sendDtmf(char digit, int durationMillis) {
        sentDtmf.add(digit);
    }

    @Override
    public RtpStatistics statistics() {
        return RtpStatistics.EMPTY;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
