/**
 * Opus (RFC 6716, RTP payload RFC 7587) through Concentus as a per-stream
 * {@link io.kinline.media.codec.FrameCodec}, and the 48 kHz / 8 kHz resampler.
 */
package io.kinline.media.opus;
