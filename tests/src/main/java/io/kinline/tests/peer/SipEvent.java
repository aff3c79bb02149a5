package io.kinline.tests.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Something a {@link SipPeer} saw: a request or response (kept as the raw text it was on the
 * wire, so tests can inspect any header independently of JAIN-SIP's object model) or a
 * transaction timeout.
 *
 * @param atMs milliseconds since the peer started
 */
public record SipEvent(Kind kind, String method, int status, String callId, String raw, long atMs) {

    public enum Kind { REQUEST, RESPONSE, TIMEOUT }

    public boolean isRequest(String m) {
        return kind == Kind.REQUEST && method.equalsIgnoreCase(m);
    }

    /** True for a response to {@code cseqMethod} with exactly {@code code}. */
    public boolean isResponse(String cseqMethod, int code) {
        return kind == Kind.RESPONSE && status == code && method.equalsIgnoreCase(cseqMethod);
    }

    /** True for a final (≥ 200) response to {@code cseqMethod}. */
    public boolean isFinal(String cseqMethod) {
        return kind == Kind.RESPONSE && status >= 200 && method.equalsIgnoreCase(cseqMethod);
    }

    /** First value of a header (full or compact name, case-insensitive), or null. */
    public String header(String name) {
        List<String> l = headers(name);
        return l.isEmpty() ? null : l.get(0);
    }

    /** All values of a header in order (not split on commas). */
    public List<String> headers(String name) {
        String want = name.toLowerCase(Locale.ROOT);
        String compact = compactOf(want);
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        String[] lines = head().split("\r?\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String n = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (n.equals(want) || n.equals(compact)) {
                StringBuilder v = new StringBuilder(line.substring(colon + 1).trim());
                while (i + 1 < lines.length && !lines[i + 1].isEmpty()
                        && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                    v.append(' ').append(lines[++i].trim());
                }
                out.add(v.toString());
            }
        }
        return out;
    }

    /** The start line (request line or status line). */
    public String startLine() {
        if (raw == null) {
            return "";
        }
        int nl = raw.indexOf('\n');
        return (nl < 0 ? raw : raw.substring(0, nl)).trim();
    }

    /** The Request-URI of a request. */
    public String requestUri() {
        String[] p = startLine().split(" ");
        return kind == Kind.REQUEST && p.length > 1 ? p[1] : null;
    }

    /** The message body ("" if none). */
    public String body() {
        if (raw == null) {
            return "";
        }
        int i = raw.indexOf("\r\n\r\n");
        if (i >= 0) {
            return raw.substring(i + 4);
        }
        i = raw.indexOf("\n\n");
        return i >= 0 ? raw.substring(i + 2) : "";
    }

    private String head() {
        int i = raw.indexOf("\r\n\r\n");
        if (i < 0) {
            i = raw.indexOf("\n\n");
        }
        return i < 0 ? raw : raw.substring(0, i);
    }

    private static String compactOf(String name) {
        return switch (name) {
            case "call-id" -> "i";
            case "contact" -> "m";
            case "content-encoding" -> "e";
            case "content-length" -> "l";
            case "content-type" -> "c";
            case "from" -> "f";
            case "subject" -> "s";
            case "supported" -> "k";
            case "to" -> "t";
            case "via" -> "v";
            case "session-expires" -> "x";
            default -> "\u0000";
        };
    }

    @Override
    public String toString() {
        return kind == Kind.TIMEOUT ? "TIMEOUT " + method
                : kind == Kind.REQUEST ? method + " " + requestUri() : status + " (" + method + ")";
    }
}
