/**
 * Audio codecs: the stateless G.711 tables ({@link io.kinline.media.codec.Codec}) and the per-stream
 * {@link io.kinline.media.codec.FrameCodec} between RTP payloads and 8 kHz linear PCM, which a stateful
 * codec (Opus) implements per leg.
 */
package io.kinline.media.codec;
