/**
 * Audio codecs: the G.711 tables and the per-leg {@link io.kinline.media.codec.VoiceCodec} seam to and
 * from 8 kHz linear PCM, which a stateful codec (Opus) implements per leg.
 */
package io.kinline.media.codec;
