package io.kinline.sip.core;

import java.util.Locale;

/** Parses DTMF carried in SIP INFO bodies: {@code application/dtmf-relay} and {@code application/dtmf}. */
public final class DtmfInfo {
    /** Default duration when the body has none, milliseconds. */
    public static final int DEFAULT_DURATION = 160;

    private DtmfInfo() {
    }

    /** A parsed digit; {@code digit} is one of 0-9 * # A-D. */
    public record Digit(char digit, int durationMs) {
    }

    /** Returns the digit, or null if the body is not a valid DTMF body of the given content type. */
    public static Digit parse(String contentType, String body) {
        if (body == null || contentType == null) {
            return null;
        }
        String ct = contentType.toLowerCase(Locale.ROOT);
        if (ct.startsWith("application/dtmf-relay") || body.regionMatches(true, 0, "signal", 0, 6)) {
            Character digit = null;
            int duration = DEFAULT_DURATION;
            for (String line : body.split("\r?\n")) {
                int eq = line.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = line.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String v = line.substring(eq + 1).trim();
                if (k.equals("signal") && !v.isEmpty()) {
                    digit = toDigit(v);
                } else if (k.equals("duration")) {
                    try {
                        duration = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        // keep the default
                    }
                }
            }
            return digit == null ? null : new Digit(digit, duration);
        }
        if (ct.startsWith("application/dtmf")) {
            String v = body.trim();
            Character d = v.isEmpty() ? null : toDigit(v);
            return d == null ? null : new Digit(d, DEFAULT_DURATION);
        }
        return null;
    }

    private static Character toDigit(String v) {
        if (v.equals("10")) {
            return '*'; // RFC 4733 event codes are sometimes sent numerically
        }
        if (v.equals("11")) {
            return '#';
        }
        if (v.length() != 1) {
            return null;
        }
        char c = Character.toUpperCase(v.charAt(0));
        return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D') ? c : null;
    }

    public static String relayBody(char digit, int durationMs) {
        return "Signal=" + digit + "\r\nDuration=" + durationMs + "\r\n";
    }
}
