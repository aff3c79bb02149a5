/**
 * DTLS-SRTP (RFC 5763, RFC 5764) on BouncyCastle's DTLS 1.2: the switch's certificate and fingerprint,
 * {@code a=setup}, the handshake of one leg and the SRTP keys it exports.
 */
package io.kinline.media.dtls;
