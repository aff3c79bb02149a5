package io.kinline.media.threeway;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The detector's verdict on one episode: a group of signs close together in time (each within
 * {@link Decision#JOIN_MILLIS} of the one before) whose combined score reached the detection threshold
 * (or, for {@link ThreeWayDetector.Listener#onEpisodeBelowThreshold}, did not).
 *
 * @param episode     number of the episode in this stream, from 1
 * @param atMillis    where the episode began (its first sign): where an investigator starts listening
 * @param score       0 to 1, see docs/THREEWAY.md for how signs combine
 * @param strong      a flash followed within 10 s by a dial tone or by dialling: the only combination on
 *                    which a facility may have the call cut off
 * @param signs       the evidence, in time order
 */
public record Detection(int episode, long atMillis, double score, boolean strong, List<Sign> signs) {

    public Detection {
        signs = List.copyOf(signs);
    }

    /** The kinds present, in time order of their first appearance, e.g. {@code flash,dial-tone,dialling}. */
    public String kinds() {
        return signs.stream().map(s -> s.kind().label()).distinct().collect(Collectors.joining(","));
    }

    /** {@code 12.34  0.87  strong  flash@12.34s(0.80, ...) dial-tone@...}: one line, as the CLI prints it. */
    public String line() {
        return String.format(Locale.ROOT, "%.2f  %.2f  %s  %s", atMillis / 1000.0, score, strong ? "strong" : "flag",
                signs.stream().map(Sign::toString).collect(Collectors.joining(" ")));
    }
}
