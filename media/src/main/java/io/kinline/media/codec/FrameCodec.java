package io.kinline.media.codec;

/**
 * A codec with per-stream state between RTP payloads and the 8 kHz 16-bit PCM that the rest of the
 * media engine (bridge, recorder, announcements, DTMF detection) works in.
 *
 * <p>Why beside {@link Codec} rather than in it: {@code Codec} is a stateless G.711 enum whose
 * payload is one byte per sample at the 8 kHz RTP clock, so the relay can transcode in place and the
 * sample count is the byte count. Opus breaks all three: it has encoder and decoder state per stream,
 * its payload size has nothing to do with its duration, and its RTP clock is 48 kHz whatever it
 * carries (RFC 7587 §4.1). A leg with a {@code FrameCodec} decodes every packet to PCM and encodes
 * what it sends; a G.711 leg keeps the byte-for-byte path.
 *
 * <p>Not thread safe: one instance per stream, used on the leg's event loop.
 */
public interface FrameCodec {

    /** The SDP encoding name ({@code opus}, {@code PCMU}). */
    String encodingName();

    /** The RTP clock rate of the payload (48000 for Opus, 8000 for G.711). */
    int rtpClockRate();

    /** The channel count in {@code a=rtpmap} (2 for Opus, always, RFC 7587 §7; 1 for G.711). */
    int rtpmapChannels();

    /**
     * Decodes one payload into 8 kHz PCM.
     *
     * @return samples written (at most {@link #MAX_FRAME_SAMPLES}), or -1 if the payload is not valid
     *     (counted and skipped by the caller: no exception for what the network sends)
     */
    int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset);

    /** Fills in {@code samples} of 8 kHz PCM for a lost packet (packet loss concealment). */
    int conceal(short[] pcm, int pcmOffset, int samples);

    /**
     * Encodes {@code samples} of 8 kHz PCM (one frame: 10, 20, 40 or 60 ms) into one payload.
     *
     * @return payload bytes written
     */
    int encode(short[] pcm, int pcmOffset, int samples, byte[] out, int outOffset, int maxLength);

    /** RTP timestamp units per 8 kHz sample: 6 for Opus, 1 for G.711. */
    default int timestampUnitsPerSample() {
        return rtpClockRate() / Codec.SAMPLE_RATE;
    }

    /** The longest frame a payload may decode to: 120 ms at 8 kHz (Opus's longest packet). */
    int MAX_FRAME_SAMPLES = 960;
}
