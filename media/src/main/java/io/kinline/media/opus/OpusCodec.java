package io.kinline.media.opus;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusBandwidth;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import io.kinline.media.codec.FrameCodec;

/**
 * Opus (RFC 6716, RTP payload RFC 7587) through Concentus, a pure-Java port of libopus, as a
 * {@link FrameCodec} at the engine's 8 kHz.
 *
 * <ul>
 *   <li><b>Receive:</b> Opus is decoded to mono (a mono decoder mixes a stereo stream down itself,
 *       so {@code opus/48000/2} from any browser works) at 8 kHz.</li>
 *   <li><b>Send:</b> 8 kHz PCM is encoded mono and narrowband: there is nothing above 4 kHz to spend
 *       bits on, since everything a tablet hears came from the PSTN or from 8 kHz prompts. How is the
 *       {@link Encoding}: by default {@link Encoding#WAVEFORM} (Opus's CELT layer alone, at
 *       {@link #WAVEFORM_BITRATE}), which costs half the CPU of SILK speech coding in Concentus and keeps
 *       the waveform (tones, prompts, DTMF the PSTN side plays) closer; {@link Encoding#SPEECH} is
 *       SILK, what a browser sends, at {@link #DEFAULT_BITRATE}. Any Opus decoder plays either.</li>
 *   <li><b>Loss:</b> {@link #conceal} runs Opus's own packet loss concealment for the missing time
 *       (it extrapolates the last pitch period and fades out), so a concealed frame joins the real
 *       ones without a click.</li>
 * </ul>
 *
 * <p><b>Where 48 kHz meets 8 kHz</b> ({@link Resampling}). By default ({@link Resampling#OPUS_INTERNAL})
 * the decoder and encoder run at 8 kHz and libopus resamples: it drops the MDCT bins above 4 kHz
 * before synthesis and uses SILK's own resamplers, so nothing aliases (OpusCodecTest checks a 5 kHz
 * tone does not fold to 3 kHz). {@link Resampling#POLYPHASE} runs Opus at 48 kHz and resamples with
 * our {@link Resampler}, which passes the same test; it costs two to five times the CPU per frame
 * (docs/PERFORMANCE.md), so it is the alternative, not the default. Not thread safe: one per stream.
 */
public final class OpusCodec implements FrameCodec {

    /** The {@code a=rtpmap} value (RFC 7587 §7: always 48000 and 2 channels). */
    public static final String RTPMAP = "opus/48000/2";
    /**
     * The {@code a=fmtp} parameters we declare (RFC 7587 §6.1): we render and capture at 8 kHz (so a
     * browser may encode narrowband and save both of us work), prefer mono, and use no in-band FEC
     * (without a jitter buffer there is no next packet to recover from).
     */
    public static final String FMTP = "minptime=10;maxplaybackrate=8000;sprop-maxcapturerate=8000;stereo=0;"
            + "sprop-stereo=0;useinbandfec=0";
    /** SILK speech coding's bitrate. */
    public static final int DEFAULT_BITRATE = 16_000;
    /**
     * CELT's bitrate: 24 kbit/s narrowband keeps the 8 kHz waveform at about 23 dB SNR (SILK at 16 kbit/s
     * is a parametric speech coder, about 6 dB by the waveform), and is still a third of G.711's 64.
     */
    public static final int WAVEFORM_BITRATE = 24_000;
    /**
     * libopus complexity 2 of 10 for SILK: narrowband SILK at 2 costs about 60 % of what 5 costs in
     * Concentus (docs/PERFORMANCE.md) for a small loss in quality that the PSTN side of the call hides
     * anyway.
     */
    public static final int COMPLEXITY = 2;
    /** CELT's complexity: 0 is half the CPU of 5 for 0.8 dB less SNR on speech at 24 kbit/s. */
    public static final int WAVEFORM_COMPLEXITY = 0;

    /** How the encoder codes what we send; the decoder takes anything. */
    public enum Encoding {
        /** CELT only (libopus's restricted-low-delay application): a transform codec, cheap in Concentus. */
        WAVEFORM,
        /** SILK (the VoIP application): what browsers send for speech. */
        SPEECH
    }

    /** Where 48 kHz and 8 kHz meet. */
    public enum Resampling { POLYPHASE, OPUS_INTERNAL }

    private static final int MAX_48K = Resampler.MAX_INPUT_48K;

    private final Resampling resampling;
    private final int opusRate;
    private final int factor;
    private final OpusDecoder decoder;
    private final OpusEncoder encoder;
    private final Resampler.Down down = new Resampler.Down();
    private final Resampler.Up up = new Resampler.Up();
    private final short[] wide = new short[MAX_48K];
    private long invalidPackets;

    /** The switch's codec: Opus at 8 kHz, sending {@link Encoding#WAVEFORM}. */
    public OpusCodec() {
        this(Resampling.OPUS_INTERNAL, Encoding.WAVEFORM);
    }

    /** Opus at 8 kHz sending the given encoding at its bitrate. */
    public OpusCodec(Resampling resampling, Encoding encoding) {
        this(resampling, encoding, encoding == Encoding.WAVEFORM ? WAVEFORM_BITRATE : DEFAULT_BITRATE);
    }

    /** SILK speech at {@code bitrate}, as before the encodings existed (benchmarks compare against it). */
    public OpusCodec(Resampling resampling, int bitrate) {
        this(resampling, Encoding.SPEECH, bitrate);
    }

    public OpusCodec(Resampling resampling, Encoding encoding, int bitrate) {
        this(resampling, encoding, bitrate, encoding == Encoding.WAVEFORM ? WAVEFORM_COMPLEXITY : COMPLEXITY);
    }

    /** The given encoding at {@code bitrate} and libopus {@code complexity} (0 to 10). */
    public OpusCodec(Resampling resampling, Encoding encoding, int bitrate, int complexity) {
        this.resampling = resampling;
        this.opusRate = resampling == Resampling.POLYPHASE ? 48_000 : 8_000;
        this.factor = opusRate / 8_000;
        try {
            decoder = new OpusDecoder(opusRate, 1);
            encoder = new OpusEncoder(opusRate, 1, encoding == Encoding.WAVEFORM
                    ? OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY : OpusApplication.OPUS_APPLICATION_VOIP);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus at " + opusRate + " Hz mono is always valid", e);
        }
        encoder.setBitrate(bitrate);
        encoder.setMaxBandwidth(OpusBandwidth.OPUS_BANDWIDTH_NARROWBAND);
        encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
        encoder.setComplexity(complexity);
        encoder.setUseInbandFEC(false);
    }

    public Resampling resampling() {
        return resampling;
    }

    @Override
    public String encodingName() {
        return "opus";
    }

    @Override
    public int rtpClockRate() {
        return 48_000;
    }

    @Override
    public int rtpmapChannels() {
        return 2;
    }

    /** Payloads that failed to decode (corrupt, or not Opus). */
    public long invalidPackets() {
        return invalidPackets;
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset) {
        if (length <= 0 || length > 1275 * 3) { // RFC 6716 §3.4 [R2]: a frame is at most 1275 bytes, a packet 3
            invalidPackets++;
            return -1;
        }
        int n;
        try {
            n = decoder.decode(payload, offset, length, wide, 0, MAX_48K / 6 * factor, false);
        } catch (OpusException | RuntimeException e) {
            invalidPackets++; // Concentus reports some malformed packets as runtime exceptions
            return -1;
        }
        return narrow(n, pcm, pcmOffset);
    }

    @Override
    public int conceal(short[] pcm, int pcmOffset, int samples) {
        int n;
        try {
            n = decoder.decode(null, 0, 0, wide, 0, samples * factor, false);
        } catch (OpusException e) {
            java.util.Arrays.fill(pcm, pcmOffset, pcmOffset + samples, (short) 0);
            return samples;
        }
        return narrow(n, pcm, pcmOffset);
    }

    private int narrow(int n, short[] pcm, int pcmOffset) {
        if (n <= 0) {
            invalidPackets++;
            return -1;
        }
        if (factor == 1) {
            System.arraycopy(wide, 0, pcm, pcmOffset, n);
            return n;
        }
        return down.process(wide, 0, n, pcm, pcmOffset);
    }

    @Override
    public int encode(short[] pcm, int pcmOffset, int samples, byte[] out, int outOffset, int maxLength) {
        short[] in = pcm;
        int inOff = pcmOffset;
        if (factor != 1) {
            up.process(pcm, pcmOffset, samples, wide, 0);
            in = wide;
            inOff = 0;
        }
        try {
            return encoder.encode(in, inOff, samples * factor, out, outOffset, maxLength);
        } catch (OpusException e) {
            throw new IllegalArgumentException("cannot encode " + samples + " samples (10, 20, 40 or 60 ms)", e);
        }
    }
}
