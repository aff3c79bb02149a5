package io.kinline.admin.api;

import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.JsonBody;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Validators for API input values; each names the field in its 400. */
public final class Inputs {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern LANG = Pattern.compile("[a-z]{2,3}(-[a-z0-9]{2,4})?");
    private static final Pattern HHMM = Pattern.compile("([01][0-9]|2[0-4]):([0-5][0-9])");

    private Inputs() {
    }

    /** Identifiers chosen by the operator (facility, station, inmate, housing unit). */
    public static String id(String field, String v) {
        if (!ID.matcher(v).matches()) {
            throw ApiException.validation(field,
                    field + " must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return v;
    }

    public static String language(String field, String v) {
        String l = v.toLowerCase(Locale.ROOT);
        if (!LANG.matcher(l).matches()) {
            throw ApiException.validation(field, field + " must be a language code such as \"en\" or \"es\"");
        }
        return l;
    }

    public static ZoneId timezone(String field, String v) {
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw ApiException.validation(field, field + " must be an IANA time zone such as \"America/Chicago\"");
        }
    }

    /** "HH:mm" in 00:00..24:00 as minutes of the day (0..1440). */
    public static int timeOfDay(String field, String v) {
        var m = HHMM.matcher(v);
        if (!m.matches()) {
            throw ApiException.validation(field, field + " must be a time \"HH:mm\" between 00:00 and 24:00");
        }
        int h = Integer.parseInt(m.group(1));
        int min = Integer.parseInt(m.group(2));
        if (h == 24 && min != 0) {
            throw ApiException.validation(field, field + " must be a time \"HH:mm\" between 00:00 and 24:00");
        }
        return h * 60 + min;
    }

    /**
     * Phone hours {@code {"start":"07:00","end":"22:30"}} as [startMinute, endMinute]. "00:00"–"24:00" is
     * always open; an end before the start spans midnight; equal start and end are rejected as ambiguous.
     */
    public static int[] phoneHours(JsonBody o) {
        int start = timeOfDay(o.qualified("start"), o.requiredText("start"));
        int end = timeOfDay(o.qualified("end"), o.requiredText("end"));
        o.finish();
        if (start == 1440) {
            throw o.invalid("start", "must be before 24:00");
        }
        if (start == end) {
            throw o.invalid("end", "must differ from start (use 00:00-24:00 for always)");
        }
        return new int[] {start, end};
    }

    public static String hhmm(int minutes) {
        return String.format(Locale.ROOT, "%02d:%02d", minutes / 60, minutes % 60);
    }

    /** A digits-only PIN of exactly {@code length} digits. */
    public static String pin(String field, String v, int length) {
        if (v.length() != length || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ApiException.validation(field, field + " must be " + length + " digits");
        }
        return v;
    }

    /** Earliest instant the API accepts: nothing in Kinline happened before 1970. */
    public static final Instant MIN_INSTANT = Instant.parse("1970-01-01T00:00:00Z");
    /** Latest instant the API accepts (exclusive): far enough for any restriction or expiry, and a year
     *  both databases and every client library represent without surprises (not year +999999999). */
    public static final Instant MAX_INSTANT = Instant.parse("2200-01-01T00:00:00Z");
    private static final Pattern DATE_TEXT = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9:.]{5,18}([Zz]|[+-][0-9]{2}:[0-9]{2}))?");

    /**
     * An instant: ISO-8601 with offset ({@code 2026-11-25T21:00:00Z}) or a date (start of day, UTC), with a
     * four-digit year, between 1970 and 2199. The text is checked before it is parsed.
     */
    public static Instant instant(String field, String v) {
        Instant t = null;
        if (v.length() <= 40 && DATE_TEXT.matcher(v).matches()) {
            try {
                t = OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
                try {
                    t = LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException e2) {
                    t = null;
                }
            }
        }
        if (t == null || t.isBefore(MIN_INSTANT) || !t.isBefore(MAX_INSTANT)) {
            throw ApiException.validation(field, field
                    + " must be an ISO-8601 timestamp such as 2026-11-25T21:00:00Z, or a date 2026-11-25,"
                    + " between 1970 and 2199");
        }
        return t;
    }

    private static final Pattern PROMPT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /**
     * A prompt name, looked up as {@code <lang>/<name>.wav} in the prompt directory: letters, digits, '-'
     * and '_' only, so it can never climb out of that directory.
     */
    public static String promptName(String field, String v) {
        if (!PROMPT.matcher(v).matches()) {
            throw ApiException.validation(field, field
                    + " must be a prompt name: 1-64 letters, digits, '-' or '_' (e.g. facility-south-central)");
        }
        return v;
    }

    /** The {@code limit} query parameter: 1..max, default {@code def}. */
    public static int limit(io.kinline.admin.http.ApiRequest req, int def, int max) {
        return req.query("limit").map(v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= 1 && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw ApiException.validation("limit", "limit must be an integer between 1 and " + max);
        }).orElse(def);
    }

    /** Matches a value against a fixed set of lower-case words. */
    /** Free text of at most {@code max} characters, without control, line-separator or bidi characters. */
    public static String text(String field, String v, int max) {
        String s = v.strip();
        if (io.kinline.log.SafeText.firstUnsafe(s) >= 0) {
            throw ApiException.validation(field, field
                    + " must not contain control characters, line separators or bidirectional-text controls");
        }
        if (s.length() > max) {
            throw ApiException.validation(field, field + " is too long (max " + max + " characters)");
        }
        return s;
    }

    public static String oneOf(String field, String v, String... allowed) {
        String l = v.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(l)) {
                return a;
            }
        }
        throw ApiException.validation(field, field + " must be one of " + String.join(", ", allowed));
    }
}
