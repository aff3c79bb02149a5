package io.kinline.media.prompt;

import io.kinline.media.codec.Codec;
import java.util.EnumMap;
import java.util.Map;

/**
 * One prompt's audio, decoded once to 8 kHz linear PCM and pre-encoded for every codec, so playback
 * is a copy, never an encode.
 */
public final class Prompt {

    private final String language;
    private final String name;
    private final short[] pcm;
    private final Map<Codec, byte[]> encoded = new EnumMap<>(Codec.class);

    public Prompt(String language, String name, short[] pcm) {
        this.language = language;
        this.name = name;
        this.pcm = pcm;
        for (Codec c : Codec.values()) {
            byte[] e = new byte[pcm.length];
            c.encode(pcm, 0, e, 0, pcm.length);
            encoded.put(c, e);
        }
    }

    public String language() {
        return language;
    }

    public String name() {
        return name;
    }

    /** Linear PCM; do not modify. */
    public short[] pcm() {
        return pcm;
    }

    /** Encoded audio for {@code codec}; do not modify. */
    public byte[] encoded(Codec codec) {
        return encoded.get(codec);
    }

    public int samples() {
        return pcm.length;
    }

    public int durationMillis() {
        return pcm.length / 8;
    }

    @Override
    public String toString() {
        return language + "/" + name + " (" + durationMillis() + " ms)";
    }
}
