package io.kinline.media.codec;

/**
 * One leg's audio codec as an endpoint uses it: RTP payload bytes to and from 8 kHz 16-bit linear PCM,
 * the form the bridge's mixing, the prompts, the DTMF detector and the recorder work in.
 *
 * <p>G.711 ({@link Codec}) is stateless and one byte per sample, so its constants serve every leg. A
 * codec with state (Opus) is one instance per leg; it resamples to and from 8 kHz inside and may write
 * a different number of bytes than samples, so callers use the counts these methods return. Both run
 * on the leg's event loop, on every packet: no allocation, no locks.
 */
public interface VoiceCodec {

    /** Decodes one packet's {@code len} payload bytes; returns the number of 8 kHz samples written to {@code pcm}. */
    int toPcm(byte[] payload, int off, int len, short[] pcm, int pcmOff);

    /** Encodes {@code samples} 8 kHz samples; returns the number of payload bytes written. */
    int fromPcm(short[] pcm, int off, int samples, byte[] payload, int payloadOff);
}
