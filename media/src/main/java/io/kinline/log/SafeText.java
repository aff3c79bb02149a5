package io.kinline.log;

/**
 * Text that came from outside (names, token names, SIP From users, paths, Call-IDs) made safe to print:
 * one small rule used by the log layout ({@link SafeMessageConverter}), by code that builds messages, and
 * by the admin API, which refuses such characters in names in the first place.
 *
 * <p>Unsafe are the C0 and C1 controls and DEL (a newline forges a log line, ESC drives a terminal), the
 * Unicode line and paragraph separators, the bidirectional formatting characters (U+202E makes
 * {@code exe.txt} display as {@code txt.exe}: "Trojan Source"), lone surrogates and the noncharacters
 * U+FFFE/U+FFFF. Escaping writes them as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX};
 * everything else, any script included, is kept. Backslashes are not doubled, so escaping twice changes
 * nothing: the aim is one event per line and no hidden text, not a reversible encoding.
 */
public final class SafeText {

    /** Longest value {@link #escape(String)} keeps; a log line is not the place for a megabyte of input. */
    public static final int MAX_LOGGED = 1_000;

    private SafeText() {
    }

    /** Whether {@code cp} may not appear in a name, nor raw in a log line. */
    public static boolean isUnsafe(int cp) {
        if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
            return true; // C0, DEL, C1
        }
        return switch (cp) {
            case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0xFFFE, 0xFFFF -> true;
            default -> (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)
                    || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE); // lone surrogate
        };
    }

    /** The index of the first unsafe character of {@code s}, or -1. */
    public static int firstUnsafe(CharSequence s) {
        for (int i = 0; i < s.length(); ) {
            int cp = Character.codePointAt(s, i);
            if (isUnsafe(cp)) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** {@code s} with unsafe characters escaped and cut to {@value #MAX_LOGGED} characters; null stays "null". */
    public static String escape(Object value) {
        if (value == null) {
            return "null";
        }
        String s = value.toString();
        if (firstUnsafe(s) < 0 && s.length() <= MAX_LOGGED) {
            return s;
        }
        return escapeAll(s, MAX_LOGGED);
    }

    /** As {@link #escape(Object)} without the length cap, for a whole formatted log message. */
    public static String escapeAll(String s, int max) {
        if (firstUnsafe(s) < 0 && s.length() <= max) {
            return s;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 16);
        for (int i = 0; i < s.length() && b.length() < max; ) {
            int cp = Character.codePointAt(s, i);
            i += Character.charCount(cp);
            if (!isUnsafe(cp)) {
                b.appendCodePoint(cp);
            } else if (cp == '\n') {
                b.append("\\n");
            } else if (cp == '\r') {
                b.append("\\r");
            } else if (cp == '\t') {
                b.append("\\t");
            } else {
                b.append(String.format("\\u%04x", cp));
            }
        }
        if (b.length() >= max && s.length() > max) {
            b.append("…(").append(s.length()).append(" chars)");
        }
        return b.toString();
    }
}
