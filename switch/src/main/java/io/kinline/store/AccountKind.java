package io.kinline.store;

/** Which kind of account funds a call. */
public enum AccountKind {
    /** Inmate debit account, keyed by inmate id. */
    DEBIT,
    /** Prepaid account, keyed by BTN. */
    PREPAID
}
