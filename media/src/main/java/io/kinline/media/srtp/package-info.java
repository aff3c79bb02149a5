/**
 * SRTP and SRTCP with AES_CM_128_HMAC_SHA1_80 (RFC 3711): key derivation, per-SSRC replay windows and
 * rollover counters, protection in place over ByteBufs; SDES {@code a=crypto} (RFC 4568). A building
 * block of a secure {@link io.kinline.media.rtp.PacketTransport}.
 */
package io.kinline.media.srtp;
