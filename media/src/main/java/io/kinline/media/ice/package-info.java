/**
 * STUN (RFC 8489) and the ICE-lite responder (RFC 8445) of a WebRTC leg, with the RFC 7983 demux of
 * STUN, DTLS and RTP/RTCP on one port. A building block of a secure
 * {@link io.kinline.media.rtp.PacketTransport}.
 */
package io.kinline.media.ice;
