/**
 * RTP and RTCP on Netty UDP: the engine, one endpoint per leg and its loop-confined rooms (incoming,
 * outgoing, send stream, playback, announcement, DTMF sender, capture, RTCP, media timeout), the
 * bridge and its monitor mixer beside the endpoint, and the {@link
 * io.kinline.media.rtp.PacketTransport} seam for a secure transport. The media hot path lives here: it
 * allocates nothing per packet.
 */
package io.kinline.media.rtp;
