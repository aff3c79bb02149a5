package io.kinline.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * A daily window in facility-local time during which calls may be placed.
 *
 * <p>{@link LocalTime} cannot represent 24:00, so an {@code end} of {@link LocalTime#MIDNIGHT}
 * means "end of day" (24:00): {@code 00:00–24:00} is "always" and {@code 07:00–24:00} runs to
 * midnight. A window with {@code start > end} wraps past midnight (e.g. {@code 22:00–06:00}).
 * {@code start == end} with a non-midnight value is rejected as ambiguous. The start is inclusive,
 * the end exclusive. The text form is {@code "HH:mm-HH:mm"} with {@code "24:00"} as the day end.
 */
public record PhoneHours(LocalTime start, LocalTime end) {

    public static final PhoneHours ALWAYS = new PhoneHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

    public PhoneHours {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (start.equals(end) && !start.equals(LocalTime.MIDNIGHT)) {
            throw new IllegalArgumentException("empty or ambiguous phone hours " + start + "-" + end);
        }
        if (start.getSecond() != 0 || start.getNano() != 0 || end.getSecond() != 0 || end.getNano() != 0) {
            throw new IllegalArgumentException("phone hours are whole minutes");
        }
    }

    /** Parses {@code "07:00-22:30"}; {@code "24:00"} is accepted as an end time only. JSON form too. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static PhoneHours parse(String text) {
        Objects.requireNonNull(text, "text");
        int dash = text.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("phone hours must look like 07:00-22:30: " + text);
        }
        LocalTime s = parseTime(text.substring(0, dash).trim(), false);
        LocalTime e = parseTime(text.substring(dash + 1).trim(), true);
        return new PhoneHours(s, e);
    }

    /** Parses one boundary; "24:00" is only legal as an end (and maps to MIDNIGHT). */
    public static LocalTime parseTime(String hhmm, boolean isEnd) {
        if ("24:00".equals(hhmm)) {
            if (!isEnd) {
                throw new IllegalArgumentException("24:00 is only valid as an end time");
            }
            return LocalTime.MIDNIGHT;
        }
        try {
            return LocalTime.parse(hhmm);
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException("bad time " + hhmm, ex);
        }
    }

    public boolean always() {
        return start.equals(LocalTime.MIDNIGHT) && end.equals(LocalTime.MIDNIGHT);
    }

    /** Whether calls are allowed at this facility-local time. */
    public boolean contains(LocalTime t) {
        if (always()) {
            return true;
        }
        if (end.equals(LocalTime.MIDNIGHT)) {
            return !t.isBefore(start);
        }
        if (start.isBefore(end)) {
            return !t.isBefore(start) && t.isBefore(end);
        }
        return !t.isBefore(start) || t.isBefore(end); // wraps midnight
    }

    /**
     * Time left until the window closes, seen from {@code t}; {@code null} if the window never
     * closes (always open) and {@link Duration#ZERO} if {@code t} is outside the window. The call
     * flow uses this to shorten a call so it ends with phone hours.
     */
    public Duration untilClose(LocalTime t) {
        if (always()) {
            return null;
        }
        if (!contains(t)) {
            return Duration.ZERO;
        }
        long nowSec = t.toSecondOfDay();
        long endSec = end.equals(LocalTime.MIDNIGHT) ? 86_400 : end.toSecondOfDay();
        long d = endSec - nowSec;
        if (d <= 0) {
            d += 86_400; // wrapped window, end is tomorrow
        }
        return Duration.ofSeconds(d).minusNanos(t.getNano());
    }

    public String startText() {
        return start.toString();
    }

    public String endText() {
        return end.equals(LocalTime.MIDNIGHT) ? "24:00" : end.toString();
    }

    /** The text form, also the JSON form (so 24:00 survives serialization). */
    @JsonValue
    @Override
    public String toString() {
        return startText() + "-" + endText();
    }
}
