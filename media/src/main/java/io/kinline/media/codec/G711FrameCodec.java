package io.kinline.media.codec;

/**
 * G.711 as a {@link FrameCodec}, so that a mixed leg (Opus on one side, PCMU on the other) and the
 * benchmarks treat both alike. Stateless apart from the codec; concealment is silence, as the
 * relay's own G.711 path does for a lost packet.
 */
public final class G711FrameCodec implements FrameCodec {

    private final Codec codec;

    public G711FrameCodec(Codec codec) {
        this.codec = codec;
    }

    @Override
    public String encodingName() {
        return codec.encodingName();
    }

    @Override
    public int rtpClockRate() {
        return Codec.SAMPLE_RATE;
    }

    @Override
    public int rtpmapChannels() {
        return 1;
    }

    @Override
    public int decode(byte[] payload, int offset, int length, short[] pcm, int pcmOffset) {
        if (length > MAX_FRAME_SAMPLES || pcm.length - pcmOffset < length) {
            return -1;
        }
        codec.decode(payload, offset, pcm, pcmOffset, length);
        return length;
    }

    @Override
    public int conceal(short[] pcm, int pcmOffset, int samples) {
        java.util.Arrays.fill(pcm, pcmOffset, pcmOffset + samples, (short) 0);
        return samples;
    }

    @Override
    public int encode(short[] pcm, int pcmOffset, int samples, byte[] out, int outOffset, int maxLength) {
        if (samples > maxLength) {
            throw new IllegalArgumentException(samples + " samples do not fit in " + maxLength + " bytes");
        }
        codec.encode(pcm, pcmOffset, out, outOffset, samples);
        return samples;
    }
}
