package io.kinline.media.threeway;

import static io.kinline.media.threeway.FrameFeatures.MILLIS;
import static io.kinline.media.threeway.FrameFeatures.SAMPLES;

/**
 * Finds three-way call attempts in the called party's audio: the signs of the called party putting
 * the inmate on hold and calling someone else (a hook flash, a dial tone, dialling, call-progress
 * tones, a change of line), combined into one score per episode. See docs/THREEWAY.md for the design
 * and the measured recall and false-alarm rate.
 *
 * <p>Input: 8 kHz 16-bit linear PCM, decoded, in any chunk size ({@link #process}); it is analysed in
 * 20 ms frames. Besides the audio, the caller tells the detector what it knows better than the audio
 * does:
 * <ul>
 *   <li>{@link #lost(int)}: audio that did not arrive (lost packets, a silence-suppressed stretch). Time
 *       passes, but no sign can be built on it: loss is not an on-hook gap.</li>
 *   <li>{@link #digit(char, long, boolean)}: a DTMF digit, from RFC 4733 events or the in-band detector
 *       the endpoint already runs (this detector does not run a second one).</li>
 *   <li>{@link #hookFlashEvent(long)}: an RFC 4733 flash event (event 16).</li>
 *   <li>{@link #announcing(boolean)}: the switch is speaking into the call (reminder, warning). The
 *       called party's line echoes the prompt back and people fall silent to listen; while it plays,
 *       and for {@value #ANNOUNCE_TAIL_MS} ms of echo tail after, frames are ignored.</li>
 * </ul>
 *
 * <p>Not thread safe: one instance per called leg, fed from one thread (the leg's event loop). After
 * construction, processing a frame allocates nothing; a sign (a few per call at most) allocates its
 * record.
 */
public final class ThreeWayDetector {

    /** What the detector tells its owner. Called on the thread that feeds it; must not block. */
    public interface Listener {

        /** An episode reached the detection threshold, or became strong. */
        void onDetection(Detection detection);

        /** A detected episode gained a sign (its level unchanged): the evidence so far. */
        default void onEvidence(Detection detection) {
        }

        /** A detected episode is over; this is its complete evidence. */
        default void onEpisodeEnd(Detection detection) {
        }

        /** An episode that ended below the threshold, with its score (diagnostics: how near it came). */
        default void onEpisodeBelowThreshold(Detection episode) {
        }

        /** Every sign as it is found, detected or not (diagnostics, {@code kinline threeway --signs}). */
        default void onSign(Sign sign) {
        }
    }

    static final int ANNOUNCE_TAIL_MS = 300;

    private final FrameFeatures features = new FrameFeatures();
    private final Decision decision;
    private final ToneTracker tones;
    private final FlashTracker flash;
    private final LineTracker line;
    private final DialTracker dial;

    private final short[] frame = new short[SAMPLES];
    private int fill;
    private boolean frameLost;
    private long frames;
    private boolean announcing;
    private long maskedUntil; // first frame no longer masked by an announcement's tail

    public ThreeWayDetector(Listener listener) {
        this.decision = new Decision(listener);
        this.tones = new ToneTracker(decision);
        this.flash = new FlashTracker(decision);
        this.line = new LineTracker(decision);
        this.dial = new DialTracker(decision);
    }

    /** The stream position: milliseconds of audio (heard or lost) given so far. */
    public long millis() {
        return (frames * SAMPLES + fill) / 8;
    }

    public void process(short[] pcm, int off, int len) {
        if (off < 0 || len < 0 || off + len > pcm.length) {
            throw new IndexOutOfBoundsException("off " + off + " len " + len + " array " + pcm.length);
        }
        int i = off;
        int end = off + len;
        if (fill == 0) {
            while (end - i >= SAMPLES) { // whole frames straight from the caller's array
                onFrame(pcm, i, false);
                i += SAMPLES;
            }
        }
        while (i < end) {
            int n = Math.min(SAMPLES - fill, end - i);
            System.arraycopy(pcm, i, frame, fill, n);
            fill += n;
            i += n;
            if (fill == SAMPLES) {
                fill = 0;
                onFrame(frame, 0, frameLost);
                frameLost = false;
            }
        }
    }

    /** {@code samples} of audio that never arrived; a frame touched by loss carries no evidence. */
    public void lost(int samples) {
        if (samples < 0) {
            throw new IllegalArgumentException("samples " + samples);
        }
        int left = samples;
        while (left > 0) {
            int n = Math.min(SAMPLES - fill, left);
            java.util.Arrays.fill(frame, fill, fill + n, (short) 0);
            fill += n;
            left -= n;
            frameLost = true;
            if (fill == SAMPLES) {
                fill = 0;
                onFrame(frame, 0, true);
                frameLost = false;
            }
        }
    }

    /** A DTMF digit the called party sent, heard at {@code atMillis} (stream time, {@link #millis()}). */
    public void digit(char digit, long atMillis, boolean rfc4733) {
        dial.digit(digit, atMillis, rfc4733);
    }

    /** An RFC 4733 hook-flash event: the gateway saw the flash itself, so it needs no audio evidence. */
    public void hookFlashEvent(long atMillis) {
        decision.sign(Sign.Kind.FLASH, atMillis, atMillis, 1.0, "RFC 4733 flash event");
    }

    /** The switch starts ({@code true}) or stops speaking into the call. */
    public void announcing(boolean on) {
        if (announcing && !on) {
            maskedUntil = frames + 1 + ANNOUNCE_TAIL_MS / MILLIS;
        }
        announcing = on;
    }

    /** End of the stream: reports what is still pending and ends the current episode. */
    public void flush() {
        tones.flush();
        flash.flush(frames);
        decision.flush();
    }

    private void onFrame(short[] pcm, int off, boolean lostFrame) {
        long k = frames++;
        if (lostFrame) {
            features.lost();
        } else {
            features.analyse(pcm, off);
        }
        boolean masked = announcing || k < maskedUntil;
        boolean usable = !masked && !lostFrame;
        int cls = tones.frame(k, features, usable);
        flash.frame(k, features, masked, lostFrame, cls != ToneTracker.NONE);
        line.frame(features, usable && cls == ToneTracker.NONE && !flash.inGap(), flash.floor());
        decision.tick(k * MILLIS);
    }
}
