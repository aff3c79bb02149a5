package io.kinline.policy;

/** Phone privilege status of an incarcerated person. */
public enum InmateStatus {
    ACTIVE,
    /** No calls until the status's end date (or indefinitely when there is none). */
    RESTRICTED,
    /** Housed in segregation: calls only in the segregation schedule, within the segregation quota. */
    SEGREGATION
}
