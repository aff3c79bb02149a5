package io.kinline.sip.transport;

/**
 * Byte-level helpers shared by the stream decoder and the datagram path: locating the header block and reading
 * Content-Length without parsing the message (framing must come before JAIN-SIP's parser, which takes everything
 * after the blank line as the body).
 */
public final class SipFraming {

    /** Content-Length header absent. */
    public static final int NO_CONTENT_LENGTH = -1;
    /** Content-Length present but negative, non-numeric or overflowing. */
    public static final int BAD_CONTENT_LENGTH = -2;
    /** Content-Length present more than once with different values (a request-smuggling attempt). */
    public static final int CONFLICTING_CONTENT_LENGTH = -3;
    /** The reason phrase of the 400 that answers {@link #CONFLICTING_CONTENT_LENGTH}. */
    public static final String CONFLICTING_REASON = "Bad Request - Conflicting Content-Length";

    private SipFraming() {
    }

    /** Index just after the first CRLFCRLF in {@code b[from, to)}, or -1. */
    public static int headerEnd(byte[] b, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    /** Index of the first CRLF in {@code b[from, to)}, or -1. */
    public static int lineEnd(byte[] b, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Finds Content-Length (or its compact form {@code l}) in the header block {@code b[from, to)}.
     * Returns the value, {@link #NO_CONTENT_LENGTH}, {@link #BAD_CONTENT_LENGTH}, or
     * {@link #CONFLICTING_CONTENT_LENGTH} when it appears again with another value. Every line is read, not
     * just up to the first match: a framer that stops at the first value while the parser keeps the last
     * would let bytes hidden behind the first length pass for a message of their own (request smuggling,
     * as RFC 9112 §6.3 forbids for HTTP). A repeated equal value is one length.
     */
    public static int contentLength(byte[] b, int from, int to) {
        int lineStart = from;
        // skip the initial line
        int eol = lineEnd(b, lineStart, to);
        if (eol < 0) {
            return NO_CONTENT_LENGTH;
        }
        lineStart = eol + 2;
        int found = NO_CONTENT_LENGTH;
        while (lineStart < to) {
            eol = lineEnd(b, lineStart, to);
            int lineEndIdx = eol < 0 ? to : eol;
            if (lineEndIdx == lineStart) {
                break; // blank line: end of headers
            }
            int nameEnd = lineStart;
            while (nameEnd < lineEndIdx && b[nameEnd] != ':' && b[nameEnd] != ' ' && b[nameEnd] != '\t') {
                nameEnd++;
            }
            if (isContentLengthName(b, lineStart, nameEnd)) {
                int p = nameEnd;
                while (p < lineEndIdx && (b[p] == ' ' || b[p] == '\t')) {
                    p++;
                }
                if (p < lineEndIdx && b[p] == ':') {
                    int v = parseNumber(b, p + 1, lineEndIdx);
                    if (v == BAD_CONTENT_LENGTH) {
                        return BAD_CONTENT_LENGTH;
                    }
                    if (found != NO_CONTENT_LENGTH && found != v) {
                        return CONFLICTING_CONTENT_LENGTH;
                    }
                    found = v;
                }
            }
            if (eol < 0) {
                break;
            }
            lineStart = eol + 2;
        }
        return found;
    }

    private static boolean isContentLengthName(byte[] b, int from, int to) {
        int len = to - from;
        if (len == 1) {
            return b[from] == 'l' || b[from] == 'L';
        }
        if (len != 14) {
            return false;
        }
        String expected = "content-length";
        for (int i = 0; i < 14; i++) {
            int c = b[from + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int parseNumber(byte[] b, int from, int to) {
        int p = from;
        while (p < to && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        int end = to;
        while (end > p && (b[end - 1] == ' ' || b[end - 1] == '\t')) {
            end--;
        }
        if (p == end || end - p > 9) {
            return BAD_CONTENT_LENGTH;
        }
        int v = 0;
        for (int i = p; i < end; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return BAD_CONTENT_LENGTH;
            }
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    /** True if every byte is CR or LF (a keep-alive). */
    public static boolean onlyCrlf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != '\r' && b[i] != '\n') {
                return false;
            }
        }
        return true;
    }
}
