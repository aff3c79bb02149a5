package io.kinline.media.prompt;

import io.kinline.media.tones.CallProgressTone;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable sequence of things to say in one language: prompts, spoken numbers, money, durations,
 * silences, tones and call-progress tones. The {@link PromptLibrary} turns it into audio.
 *
 * <pre>{@code
 * Playlist.in("en").prompt("you-have").money(new BigDecimal("3.45")).build()
 * }</pre>
 */
public record Playlist(String language, List<Segment> segments) {

    public Playlist {
        Objects.requireNonNull(language, "language");
        segments = List.copyOf(segments);
    }

    /** One part of a playlist. */
    public sealed interface Segment {
    }

    /** A recorded prompt by name, from {@code config/prompts/<lang>/<name>.wav}. */
    public record PromptRef(String name) implements Segment {
    }

    /** A prompt loaded from an arbitrary file (an inmate's recorded name). */
    public record FileRef(java.nio.file.Path file) implements Segment {
    }

    /** A whole number, spoken ("forty-two"). */
    public record Number(long value) implements Segment {
    }

    /** An amount of money in dollars, spoken ("three dollars and forty-five cents"). */
    public record Money(BigDecimal amount) implements Segment {
    }

    /** A price per unit, spoken exact to a hundredth of a cent ("five point seven five cents"). */
    public record Rate(BigDecimal amount) implements Segment {
    }

    /** A duration, spoken in minutes (and seconds if under a minute). */
    public record Span(Duration duration) implements Segment {
    }

    /** A string of digits, spoken one by one ("five seven three ..."). */
    public record Digits(String digits) implements Segment {
    }

    public record Silence(int millis) implements Segment {
    }

    /** A sine tone (the beep before "say your name"). */
    public record Tone(int frequencyHz, int millis) implements Segment {
    }

    /**
     * A call-progress tone (ringback, busy, reorder) for {@code cycles} whole cadence cycles, each
     * starting with its on part, so the caller hears the tone as soon as the playlist starts.
     */
    public record CallProgress(CallProgressTone tone, int cycles) implements Segment {
        public CallProgress {
            Objects.requireNonNull(tone, "tone");
        }

        public int millis() {
            return cycles * tone.cycleMillis();
        }
    }

    public static Builder in(String language) {
        return new Builder(language);
    }

    public static Playlist of(String language, String... promptNames) {
        Builder b = in(language);
        for (String n : promptNames) {
            b.prompt(n);
        }
        return b.build();
    }

    public boolean isEmpty() {
        return segments.isEmpty();
    }

    public static final class Builder {
        private final String language;
        private final List<Segment> segments = new ArrayList<>();

        private Builder(String language) {
            this.language = language;
        }

        public Builder prompt(String name) {
            segments.add(new PromptRef(name));
            return this;
        }

        public Builder file(java.nio.file.Path file) {
            segments.add(new FileRef(file));
            return this;
        }

        public Builder number(long n) {
            segments.add(new Number(n));
            return this;
        }

        public Builder rate(BigDecimal perUnit) {
            segments.add(new Rate(java.util.Objects.requireNonNull(perUnit, "perUnit")));
            return this;
        }

        public Builder money(BigDecimal amount) {
            segments.add(new Money(amount));
            return this;
        }

        public Builder duration(Duration d) {
            segments.add(new Span(d));
            return this;
        }

        public Builder digits(String digits) {
            segments.add(new Digits(digits));
            return this;
        }

        public Builder silence(int millis) {
            segments.add(new Silence(millis));
            return this;
        }

        public Builder tone(int hz, int millis) {
            segments.add(new Tone(hz, millis));
            return this;
        }

        /** {@code cycles} cadence cycles of a call-progress tone (ringback: one cycle is 6 s). */
        public Builder callProgress(CallProgressTone tone, int cycles) {
            segments.add(new CallProgress(tone, cycles));
            return this;
        }

        public Builder add(Segment s) {
            segments.add(s);
            return this;
        }

        public Playlist build() {
            return new Playlist(language, segments);
        }
    }
}
