package io.kinline.media.dtmf;

/** How a digit reached the switch. */
public enum DigitSource {
    /** RFC 4733 telephone-event packets. */
    RFC4733,
    /** Tones in the audio, found by the detector. */
    INBAND,
    /** SIP INFO with application/dtmf-relay (reported by the switch, not the media engine). */
    SIP_INFO
}
