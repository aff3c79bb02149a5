package io.kinline.ivr;

/** The two legs of an inmate call. */
public enum Leg {
    /** The facility handset or tablet (A-leg). */
    INMATE,
    /** The called party on the carrier trunk (B-leg). */
    CALLED
}
