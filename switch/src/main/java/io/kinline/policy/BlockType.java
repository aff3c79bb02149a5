package io.kinline.policy;

/** Who blocked a number, which decides the denial reason. */
public enum BlockType {
    /** Set by the called party with the keypad (9-9 in the consent menu). */
    KEYPAD,
    /** Set by facility staff; a note is required. */
    FACILITY,
    /** Set by security staff, typically while monitoring. */
    SECURITY,
    /** Account blocks (unpaid, misuse). */
    ACCOUNT,
    /** A court or facility no-contact order between this inmate and this number. */
    NO_CONTACT
}
