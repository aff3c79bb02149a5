package io.kinline.media.srtp;

/**
 * What became of one packet. Returned, never thrown: a flood of forged or replayed packets must cost
 * a comparison and a counter each, not a stack trace (the same rule as {@code RtpPacket.wrap}).
 */
public enum SrtpResult {
    /** Protected or verified and decrypted in place. */
    OK,
    /** Shorter than a header plus the tag, not version 2, or header lengths past the end. */
    MALFORMED,
    /** Longer than {@link SrtpSender#MAX_PACKET}. */
    TOO_LONG,
    /** The authentication tag does not match: forged, corrupted, or keyed differently. */
    AUTH_FAILED,
    /** The index was seen already (a replay or a duplicate), or is older than the replay window. */
    REPLAYED,
    /** No room to append the tag (protect) and the buffer cannot grow. */
    NO_ROOM,
    /** The master key has protected as many packets as RFC 3711 §9.2 allows; a new key is needed. */
    KEY_EXHAUSTED
}
