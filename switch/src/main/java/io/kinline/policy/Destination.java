package io.kinline.policy;

/** What kind of destination a dialed number is, for the banned-destination rules. */
public enum Destination {
    /** An ordinary NANP geographic number. */
    ORDINARY,
    /** NANP toll-free: NPA 800, 833, 844, 855, 866, 877, 888. */
    TOLL_FREE,
    /** Premium rate: NPA 900 or NXX 976. */
    PREMIUM,
    /** An N11 service code (211 ... 911, dialed bare or as 1-N11), except 411. */
    N11,
    /** Directory assistance: 411, 1-411, or NPA-555-1212. */
    DIRECTORY_ASSISTANCE,
    /** Outside the NANP (dialed with 011 or +CC, CC not 1). */
    INTERNATIONAL
}
