package io.kinline.media.srtp;

/**
 * Whether a leg uses SDES-SRTP (RFC 4568): set per gateway, and only for legs whose signalling is on TLS (keys in
 * a=crypto travel in clear otherwise, RFC 4568 §8.3).
 */
public enum SdesPolicy {
    /** Plain RTP only: an RTP/SAVP offer finds no common transport (488). */
    OFF,
    /** SRTP when the offer is RTP/SAVP with a usable a=crypto line, plain RTP for an RTP/AVP offer. */
    OPTIONAL,
    /** SRTP only: an offer without RTP/SAVP and a usable a=crypto line is refused (488). */
    MANDATORY
}
