package io.kinline.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The hours when phones are on, in local wall-clock time, the same every day.
 *
 * <p>Written as comma-separated ranges {@code "07:00-11:30,12:30-22:00"}. {@code "00:00-24:00"} means
 * always. A range whose end is before its start runs overnight ({@code "22:00-06:00"}). Ranges that
 * touch ({@code "18:00-24:00,00:00-02:00"}) are one continuous window, so a call started at 23:50 may
 * run past midnight.
 */
public final class PhoneSchedule {

    private static final int DAY = 24 * 3600;
    private static final int MAX_RANGES = 48;

    /** Phones always on. */
    public static final PhoneSchedule ALWAYS = parse("00:00-24:00");

    /** Ranges in seconds of day, [start, end), end up to 86400, sorted, overnight ranges split. */
    private final List<int[]> ranges;
    private final String text;

    private PhoneSchedule(List<int[]> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /**
     * Parses {@code "HH:MM-HH:MM[,HH:MM-HH:MM...]"}; an empty string means phones never on.
     *
     * @throws IllegalArgumentException on a malformed range
     */
    public static PhoneSchedule parse(String spec) {
        String s = spec == null ? "" : spec.strip();
        List<int[]> out = new ArrayList<>();
        if (!s.isEmpty()) {
            String[] parts = s.split(",");
            if (parts.length > MAX_RANGES) {
                throw new IllegalArgumentException("too many ranges: " + parts.length);
            }
            for (String part : parts) {
                String[] se = part.strip().split("-");
                if (se.length != 2) {
                    throw new IllegalArgumentException("bad range '" + part + "' in '" + spec + "'");
                }
                int start = seconds(se[0].strip(), false);
                int end = seconds(se[1].strip(), true);
                if (start == end) {
                    throw new IllegalArgumentException("empty range '" + part + "'");
                } else if (start < end) {
                    out.add(new int[] {start, end});
                } else {
                    out.add(new int[] {start, DAY});
                    if (end > 0) {
                        out.add(new int[] {0, end});
                    }
                }
            }
        }
        out.sort(Comparator.comparingInt(r -> r[0]));
        // Merge overlapping or touching ranges.
        List<int[]> merged = new ArrayList<>();
        for (int[] r : out) {
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && r[0] <= last[1]) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                merged.add(new int[] {r[0], r[1]});
            }
        }
        return new PhoneSchedule(List.copyOf(merged), s);
    }

    private static int seconds(String hhmm, boolean endOfRange) {
        if (endOfRange && hhmm.equals("24:00")) {
            return DAY;
        }
        try {
            return LocalTime.parse(hhmm).toSecondOfDay();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad time '" + hhmm + "'", e);
        }
    }

    public boolean isAlways() {
        return ranges.size() == 1 && ranges.get(0)[0] == 0 && ranges.get(0)[1] == DAY;
    }

    /** True when phones are on at this instant in this zone. */
    public boolean isOpen(Instant now, ZoneId zone) {
        int sec = ZonedDateTime.ofInstant(now, zone).toLocalTime().toSecondOfDay();
        return rangeAt(sec) != null;
    }

    /**
     * How long phones stay on from {@code now}, following windows that continue over midnight.
     *
     * @return empty when phones are always on (no limit); {@link Duration#ZERO} when they are off now
     */
    public Optional<Duration> timeLeft(Instant now, ZoneId zone) {
        if (isAlways()) {
            return Optional.empty();
        }
        ZonedDateTime local = ZonedDateTime.ofInstant(now, zone);
        int[] r = rangeAt(local.toLocalTime().toSecondOfDay());
        if (r == null) {
            return Optional.of(Duration.ZERO);
        }
        LocalDate day = local.toLocalDate();
        int end = r[1];
        // A window ending at midnight continues when tomorrow's first window starts at 00:00.
        // Two days at most: a schedule that is not ALWAYS has a gap within any 24 h.
        for (int i = 0; i < 2 && end == DAY && ranges.get(0)[0] == 0; i++) {
            day = day.plusDays(1);
            end = ranges.get(0)[1];
        }
        ZonedDateTime closes = end == DAY
                ? day.plusDays(1).atStartOfDay(zone)
                : day.atTime(LocalTime.ofSecondOfDay(end)).atZone(zone);
        Duration left = Duration.between(now, closes.toInstant());
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    private int[] rangeAt(int sec) {
        for (int[] r : ranges) {
            if (sec >= r[0] && sec < r[1]) {
                return r;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
