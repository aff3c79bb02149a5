package io.kinline.media.wav;

/** The WAV sample encodings Kinline reads and writes. */
public enum WavFormat {
    /** WAVE_FORMAT_PCM, 16-bit signed little-endian. */
    PCM16(1, 16),
    /** WAVE_FORMAT_ALAW. */
    ALAW(6, 8),
    /** WAVE_FORMAT_MULAW. */
    MULAW(7, 8);

    private final int formatTag;
    private final int bitsPerSample;

    WavFormat(int formatTag, int bitsPerSample) {
        this.formatTag = formatTag;
        this.bitsPerSample = bitsPerSample;
    }

    public int formatTag() {
        return formatTag;
    }

    public int bitsPerSample() {
        return bitsPerSample;
    }
}
