package io.kinline.media.dtmf;

/**
 * Turns one leg's incoming RFC 4733 events and audio into digits, each counted once.
 *
 * <p>Owned by one endpoint and called only from its event loop. A digit that arrives both as
 * telephone-events and as tones in the audio is reported once.
 *
 * <h2>RFC 4733 receive</h2>
 * An event is identified by its RTP timestamp: the start packet (marker set), the duration updates
 * and the three redundant end packets all carry it. The digit is reported at the first packet seen
 * with a new timestamp, whichever that is (so a lost start packet, or only the end packets arriving,
 * still gives exactly one digit). Packets whose timestamp is older than the newest event's (serial
 * number arithmetic over 32 bits) are late duplicates or a replay and are ignored. A new SSRC
 * ({@link #onTelephoneEvent(byte[], int, int, long, boolean, long)}) or {@link #reset()} starts afresh.
 * A long event that the sender split into segments (RFC 4733 §2.5.1.3: new timestamp where the
 * previous segment's duration ran out, no end bit in between) is one digit.
 *
 * <h2>In-band and both at once</h2>
 * With {@code inband} on, {@link #onAudio} runs a {@link DtmfDetector}. Its detections are placed on
 * the RTP timeline of the audio. An in-band detection is dropped if a telephone-event for the same
 * digit overlaps it within {@value #OVERLAP_MS} ms; once any telephone-event has been seen on the
 * stream, in-band detections are held for {@value #HOLD_MS} ms of audio so that a later event can
 * still claim them, and any in-band detection overlapping any event is dropped (the events are the
 * stream's authoritative source). Conversely a telephone-event for a digit already reported in-band
 * at the same time is not reported again.
 */
public final class DtmfReceiver {

    /** Receives digits; called on the endpoint's event loop. */
    public interface Listener {
        void onDigit(char digit, DigitSource source, long rtpTimestamp);

        void onHookFlash(long rtpTimestamp);
    }

    /** In-band and RFC 4733 reports of one key press are matched within this distance. */
    static final int OVERLAP_MS = 100;
    /** How long an in-band detection waits for a telephone-event once the stream is known to send them. */
    static final int HOLD_MS = 200;
    private static final int OVERLAP = OVERLAP_MS * 8;
    private static final int HOLD = HOLD_MS * 8;
    private static final int HISTORY = 8;

    private final Listener listener;
    private final boolean inband;
    private final DtmfDetector detector;

    private long ssrc = -1;

    // RFC 4733 state
    private boolean haveEvent;
    private long lastTs;
    private int lastCode;
    private int lastDuration;
    private boolean lastEnded;
    /** Recent telephone-events as [ts, end ts, code] for matching in-band detections. */
    private final long[] evStart = new long[HISTORY];
    private final long[] evEnd = new long[HISTORY];
    private final int[] evCode = new int[HISTORY];
    private int evCount;
    private int evNext;

    // In-band state
    private long tsBase;              // RTP timestamp of detector sample 0 (mod 2^32), refreshed per chunk
    private long audioTs;             // RTP timestamp just past the newest audio
    private boolean haveAudio;
    /** In-band detections waiting out HOLD: [start ts, end ts, digit]. */
    private final long[] heldStart = new long[HISTORY];
    private final long[] heldEnd = new long[HISTORY];
    private final char[] heldDigit = new char[HISTORY];
    private int heldCount;
    /** Recent in-band reports, to stop a late telephone-event from counting the key twice. */
    private final long[] ibStart = new long[HISTORY];
    private final long[] ibEnd = new long[HISTORY];
    private final char[] ibDigit = new char[HISTORY];
    private int ibCount;
    private int ibNext;

    /**
     * @param inband whether to run the in-band tone detector on the audio
     */
    public DtmfReceiver(Listener listener, boolean inband) {
        this.listener = listener;
        this.inband = inband;
        this.detector = inband ? new DtmfDetector(this::onInbandDigit) : null;
    }

    /** A telephone-event packet's payload. */
    public void onTelephoneEvent(byte[] payload, int off, int len, long rtpTimestamp, boolean marker) {
        if (len < Rfc4733.LENGTH || off < 0 || off + len > payload.length) {
            return; // malformed: too short to hold an event
        }
        long ts = rtpTimestamp & 0xFFFFFFFFL;
        int code = Rfc4733.event(payload, off);
        boolean end = Rfc4733.end(payload, off);
        int duration = Rfc4733.duration(payload, off);
        if (haveEvent) {
            int age = (int) (ts - lastTs);
            if (age == 0) {
                // Update or (redundant) end of the current event.
                if (code == lastCode) {
                    lastDuration = Math.max(lastDuration, duration);
                    lastEnded |= end;
                    extendEvent(ts + lastDuration);
                }
                return;
            }
            if (age < 0) {
                return; // older than the newest event: late duplicate or replay
            }
            if (code == lastCode && !lastEnded && !marker
                    && Math.abs((int) (ts - (lastTs + lastDuration))) <= OVERLAP) {
                // Next segment of a long event (§2.5.1.3): same key press.
                lastTs = ts;
                lastDuration = duration;
                lastEnded = end;
                extendEvent(ts + duration);
                return;
            }
        }
        haveEvent = true;
        lastTs = ts;
        lastCode = code;
        lastDuration = duration;
        lastEnded = end;
        if (code == Rfc4733.EVENT_FLASH) {
            listener.onHookFlash(ts);
            return;
        }
        char digit = Rfc4733.digitFor(code);
        if (digit == 0) {
            return; // tones and other events this switch does not act on
        }
        recordEvent(ts, ts + duration, code);
        dropHeldOverlapping(ts, ts + duration);
        if (reportedInband(digit, ts, ts + duration)) {
            return;
        }
        listener.onDigit(digit, DigitSource.RFC4733, ts);
    }

    /**
     * As {@link #onTelephoneEvent(byte[], int, int, long, boolean)}, resetting all state when the
     * stream's SSRC changes (a new call or a restarted sender reuses timestamps freely).
     */
    public void onTelephoneEvent(byte[] payload, int off, int len, long rtpTimestamp, boolean marker, long ssrc) {
        checkSsrc(ssrc);
        onTelephoneEvent(payload, off, len, rtpTimestamp, marker);
    }

    /** Decoded audio from the leg, in arrival order. */
    public void onAudio(short[] pcm, int off, int len, long rtpTimestamp) {
        if (!inband) {
            return;
        }
        long ts = rtpTimestamp & 0xFFFFFFFFL;
        // Anchor the detector's sample clock to this packet's timestamp; detections are reported in
        // detector samples and mapped back through the newest anchor (exact unless packets were lost
        // in the last few hundred ms, then off by the lost audio at most).
        tsBase = (ts - detector.samples()) & 0xFFFFFFFFL;
        haveAudio = true;
        detector.process(pcm, off, len);
        audioTs = (ts + len) & 0xFFFFFFFFL;
        releaseHeld(false);
    }

    /** As {@link #onAudio(short[], int, int, long)}, resetting all state when the SSRC changes. */
    public void onAudio(short[] pcm, int off, int len, long rtpTimestamp, long ssrc) {
        checkSsrc(ssrc);
        onAudio(pcm, off, len, rtpTimestamp);
    }

    /** Ends the stream: reports a tone still sounding and any held in-band digit. */
    public void flush() {
        if (detector != null) {
            detector.flush();
        }
        releaseHeld(true);
    }

    /** Forgets everything (new SSRC, new call). Pending in-band detections are dropped. */
    public void reset() {
        haveEvent = false;
        evCount = 0;
        ibCount = 0;
        heldCount = 0;
        haveAudio = false;
    }

    boolean inband() {
        return inband;
    }

    Listener listener() {
        return listener;
    }

    private void checkSsrc(long s) {
        s &= 0xFFFFFFFFL;
        if (s != ssrc) {
            if (ssrc != -1) {
                reset();
            }
            ssrc = s;
        }
    }

    // ------------------------------------------------------------------ matching

    private static boolean overlaps(long aStart, long aEnd, long bStart, long bEnd) {
        // Serial arithmetic: a overlaps b widened by OVERLAP on both sides.
        return (int) (aEnd - (bStart - OVERLAP)) >= 0 && (int) ((bEnd + OVERLAP) - aStart) >= 0;
    }

    private void recordEvent(long start, long end, int code) {
        evStart[evNext] = start;
        evEnd[evNext] = end & 0xFFFFFFFFL;
        evCode[evNext] = code;
        evNext = (evNext + 1) % HISTORY;
        evCount = Math.min(HISTORY, evCount + 1);
    }

    private void extendEvent(long end) {
        if (evCount > 0) {
            int i = (evNext + HISTORY - 1) % HISTORY;
            evEnd[i] = end & 0xFFFFFFFFL;
        }
    }

    private boolean reportedInband(char digit, long start, long end) {
        for (int i = 0; i < ibCount; i++) {
            if (ibDigit[i] == digit && overlaps(start, end, ibStart[i], ibEnd[i])) {
                return true;
            }
        }
        return false;
    }

    private boolean coveredByEvent(char digit, long start, long end) {
        for (int i = 0; i < evCount; i++) {
            // Same key: the same press. Another key: the stream sends events, and they are authoritative.
            if (overlaps(start, end, evStart[i], evEnd[i])) {
                return true;
            }
        }
        return false;
    }

    private void onInbandDigit(char digit, long startSample, long endSample) {
        if (!haveAudio) {
            return;
        }
        long start = (tsBase + startSample) & 0xFFFFFFFFL;
        long end = (tsBase + endSample) & 0xFFFFFFFFL;
        if (coveredByEvent(digit, start, end)) {
            return;
        }
        if (!haveEvent) {
            reportInband(digit, start, end);
            return;
        }
        if (heldCount == HISTORY) {
            releaseOldest();
        }
        heldStart[heldCount] = start;
        heldEnd[heldCount] = end;
        heldDigit[heldCount] = digit;
        heldCount++;
    }

    private void reportInband(char digit, long start, long end) {
        ibStart[ibNext] = start;
        ibEnd[ibNext] = end;
        ibDigit[ibNext] = digit;
        ibNext = (ibNext + 1) % HISTORY;
        ibCount = Math.min(HISTORY, ibCount + 1);
        listener.onDigit(digit, DigitSource.INBAND, start);
    }

    private void dropHeldOverlapping(long start, long end) {
        int w = 0;
        for (int i = 0; i < heldCount; i++) {
            if (!overlaps(heldStart[i], heldEnd[i], start, end)) {
                heldStart[w] = heldStart[i];
                heldEnd[w] = heldEnd[i];
                heldDigit[w] = heldDigit[i];
                w++;
            }
        }
        heldCount = w;
    }

    private void releaseHeld(boolean all) {
        while (heldCount > 0 && (all || (int) (audioTs - (heldEnd[0] + HOLD)) >= 0)) {
            releaseOldest();
        }
    }

    private void releaseOldest() {
        char d = heldDigit[0];
        long s = heldStart[0];
        long e = heldEnd[0];
        heldCount--;
        System.arraycopy(heldStart, 1, heldStart, 0, heldCount);
        System.arraycopy(heldEnd, 1, heldEnd, 0, heldCount);
        System.arraycopy(heldDigit, 1, heldDigit, 0, heldCount);
        if (!coveredByEvent(d, s, e)) {
            reportInband(d, s, e);
        }
    }
}
