package io.kinline.policy;

/** Events that investigators are alerted to; each may lead to discipline. */
public enum IncidentType {
    /** An inmate dialed a toll-free number (can be used to reach a bridge or a calling card). */
    TOLL_FREE_ATTEMPT,
    /** Too many wrong PINs on one call; the PIN is locked for a while. */
    PIN_LOCKOUT,
    /** Digits or a hook flash from the called party after acceptance: a possible three-way call. */
    THREE_WAY_SUSPECTED,
    /** An inmate tried to call a number under a no-contact order. */
    NO_CONTACT_ATTEMPT
}
