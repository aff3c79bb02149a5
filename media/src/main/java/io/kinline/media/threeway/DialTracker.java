package io.kinline.media.threeway;

/**
 * Digits the called party pressed, grouped into bursts (a digit more than {@value #BURST_GAP_MS} ms
 * after the previous one starts a new burst). Each digit reports the burst so far as one DIALLING sign,
 * whose confidence grows with its length: one key is what people press by mistake or for a menu, seven
 * or more is a telephone number.
 */
final class DialTracker {

    static final long BURST_GAP_MS = 4000;
    private static final double[] BY_COUNT = {0, 0.3, 0.45, 0.6, 0.8, 0.8, 0.8, 1.0};

    private final SignSink sink;
    private long burstStart;
    private long lastDigit = Long.MIN_VALUE / 2;
    private int count;
    private boolean events;
    private final StringBuilder digits = new StringBuilder(24);

    DialTracker(SignSink sink) {
        this.sink = sink;
    }

    void digit(char d, long atMillis, boolean rfc4733) {
        if (atMillis - lastDigit > BURST_GAP_MS || atMillis < lastDigit - BURST_GAP_MS) {
            burstStart = atMillis;
            count = 0;
            events = false;
            digits.setLength(0);
        }
        lastDigit = Math.max(lastDigit, atMillis);
        count++;
        events |= rfc4733;
        if (digits.length() < 20) {
            digits.append(d);
        }
        double c = BY_COUNT[Math.min(count, BY_COUNT.length - 1)];
        sink.sign(Sign.Kind.DIALLING, Math.min(burstStart, atMillis), lastDigit, c,
                count + (count == 1 ? " digit " : " digits ") + digits + (events ? " (RFC 4733)" : ""));
    }
}
