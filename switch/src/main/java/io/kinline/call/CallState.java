package io.kinline.call;

import java.util.Locale;

/**
 * Where a live call is, as {@code GET /api/calls} shows it. Set by the B2BUA from the steps the script
 * reports; the wire name is the lower-case, hyphenated constant name.
 */
public enum CallState {
    /** The handset picked up; the IVR runs (language, PIN). */
    OFFHOOK,
    /** The PIN named an inmate; the number is being asked for or checked. */
    NUMBER_LOOKUP,
    /** The number is known; policy and funding are being checked. */
    DIALING,
    /** A rule or the funds refused the call; the denial is being spoken. */
    DENIED,
    /** The called party's phone rings. */
    RINGING,
    /** The called party answered and hears who is calling and the consent menu. */
    GREETING,
    /** Accepted and bridged. */
    TALKING,
    /** Ended; about to leave the live list. */
    DONE;

    /** {@code number-lookup}, {@code talking}, ... */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
