package io.kinline.media.dtmf;

/**
 * Turns one leg's incoming RFC 4733 events and audio into digits, each counted once.
 *
 * <p>Owned by one endpoint and called only from its event loop. A digit that arrives both as
 * telephone-events and as tones in the audio is reported once.
 */
public final class DtmfReceiver {

    /** Receives digits; called on the endpoint's event loop. */
    public interface Listener {
        void onDigit(char digit, DigitSource source, long rtpTimestamp);

        void onHookFlash(long rtpTimestamp);
    }

    private final Listener listener;
    private final boolean inband;

    /**
     * @param inband whether to run the in-band tone detector on the audio
     */
    public DtmfReceiver(Listener listener, boolean inband) {
        this.listener = listener;
        this.inband = inband;
    }

    /** A telephone-event packet's payload. */
    public void onTelephoneEvent(byte[] payload, int off, int len, long rtpTimestamp, boolean marker) {
        // Implemented by the DTMF work (issue 3): dedupe by timestamp, end bit, redundant end packets.
    }

    /** Decoded audio from the leg, in arrival order. */
    public void onAudio(short[] pcm, int off, int len, long rtpTimestamp) {
        // Implemented by the DTMF work (issue 3): Q.24 in-band detection.
    }

    boolean inband() {
        return inband;
    }

    Listener listener() {
        return listener;
    }
}
